# SPDX-License-Identifier: EUPL-1.2
"""A PostgreSQL index that answers CKAN the way its Solr connection (pysolr.Solr) would.

CKAN's own `PackageSearchIndex` and `PackageSearchQuery` stay in charge: they build the index
documents (with permission labels and every plugin's `before_dataset_index`) and the queries
(with the permission-label and state filters). Only where they talk to Solr, this class listens:
`add`, `delete`, `commit` and `search`. Documents are written through CKAN's own database
session, so the index changes in the same transaction as the dataset.
"""

from __future__ import annotations

import json
import logging
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import psycopg2
import pysolr
from ckan import model

from ckanext.haldensleben.search.syntax import FACET_FIELDS, QuerySyntaxError, Sql, to_sql

log = logging.getLogger(__name__)

DDL = """
CREATE TABLE IF NOT EXISTS haldensleben_search (
    index_id text PRIMARY KEY,
    id text NOT NULL,
    name text NOT NULL DEFAULT '',
    title text NOT NULL DEFAULT '',
    site_id text NOT NULL,
    doc jsonb NOT NULL,
    tsv tsvector NOT NULL,
    metadata_modified timestamptz,
    metadata_created timestamptz
);
CREATE INDEX IF NOT EXISTS haldensleben_search_doc
    ON haldensleben_search USING gin (doc jsonb_path_ops);
CREATE INDEX IF NOT EXISTS haldensleben_search_doc_keys ON haldensleben_search USING gin (doc);
CREATE INDEX IF NOT EXISTS haldensleben_search_tsv ON haldensleben_search USING gin (tsv);
CREATE INDEX IF NOT EXISTS haldensleben_search_modified ON haldensleben_search (metadata_modified);
CREATE INDEX IF NOT EXISTS haldensleben_search_id ON haldensleben_search (id);
-- The catalogue's usual orders, with the tie-breaker, so a page is read off an index.
CREATE INDEX IF NOT EXISTS haldensleben_search_modified_page
    ON haldensleben_search (metadata_modified DESC, index_id);
CREATE INDEX IF NOT EXISTS haldensleben_search_created_page
    ON haldensleben_search (metadata_created DESC, index_id);
CREATE INDEX IF NOT EXISTS haldensleben_search_title_page
    ON haldensleben_search (lower(title), index_id);
CREATE INDEX IF NOT EXISTS haldensleben_search_name ON haldensleben_search (name);
ALTER TABLE haldensleben_search ADD COLUMN IF NOT EXISTS payload jsonb NOT NULL DEFAULT '{}';
-- The values of the usual facet fields as one flat array ("field<US>value"), kept by
-- PostgreSQL itself: counting an array is an order of magnitude cheaper than walking jsonb.
CREATE OR REPLACE FUNCTION haldensleben_facets(d jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT coalesce(array_agg(DISTINCT f || chr(31) || v), '{}')
  FROM unnest(ARRAY['organization', 'groups', 'tags', 'res_format', 'license_id']) AS f,
  LATERAL jsonb_array_elements_text(CASE jsonb_typeof(d -> f)
      WHEN 'array' THEN d -> f WHEN 'string' THEN jsonb_build_array(d -> f)
      ELSE '[]'::jsonb END) AS v
  WHERE v <> ''
$fn$;
ALTER TABLE haldensleben_search ADD COLUMN IF NOT EXISTS facets text[]
    GENERATED ALWAYS AS (haldensleben_facets(doc)) STORED;
CREATE INDEX IF NOT EXISTS haldensleben_search_facets ON haldensleben_search USING gin (facets);
-- The fields CKAN puts into (nearly) every query, as plain columns: comparing them costs
-- nothing, where the jsonb index matched every row and PostgreSQL rechecked each document.
CREATE OR REPLACE FUNCTION haldensleben_texts(v jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT coalesce(array_agg(x), '{}') FROM jsonb_array_elements_text(CASE jsonb_typeof(v)
      WHEN 'array' THEN v WHEN 'string' THEN jsonb_build_array(v) ELSE '[]'::jsonb END) AS x
$fn$;
ALTER TABLE haldensleben_search
    ADD COLUMN IF NOT EXISTS state text GENERATED ALWAYS AS (doc ->> 'state') STORED,
    ADD COLUMN IF NOT EXISTS dataset_type text GENERATED ALWAYS AS (doc ->> 'dataset_type') STORED,
    ADD COLUMN IF NOT EXISTS capacity text GENERATED ALWAYS AS (doc ->> 'capacity') STORED,
    ADD COLUMN IF NOT EXISTS labels text[]
        GENERATED ALWAYS AS (haldensleben_texts(doc -> 'permission_labels')) STORED;
CREATE INDEX IF NOT EXISTS haldensleben_search_labels ON haldensleben_search USING gin (labels);
-- What CKAN filters every query by, with what counting needs: hits and facets of the whole
-- catalogue are read from this index alone (an index-only scan), not from the documents.
-- Rows stay narrow: the documents, the words and the payload go to TOAST storage (uncompressed,
-- cheap to read back), the facet and label arrays stay in the row. A filtered count then reads
-- a few hundred kilobytes instead of every document (a fifth of the table's pages).
ALTER TABLE haldensleben_search SET (toast_tuple_target = 512);
ALTER TABLE haldensleben_search
    ALTER COLUMN doc SET STORAGE EXTERNAL, ALTER COLUMN tsv SET STORAGE EXTERNAL,
    ALTER COLUMN payload SET STORAGE EXTERNAL, ALTER COLUMN facets SET STORAGE MAIN,
    ALTER COLUMN labels SET STORAGE MAIN;
CREATE INDEX IF NOT EXISTS haldensleben_search_counting
    ON haldensleben_search (state, capacity) INCLUDE (facets, labels);
-- Bumped by every write to the index, in the writer's transaction: facet counts computed at
-- one version stay valid until the next committed write (the cache in PostgresSearch).
CREATE TABLE IF NOT EXISTS haldensleben_search_version (
    one boolean PRIMARY KEY DEFAULT true CHECK (one), version bigint NOT NULL DEFAULT 0
);
INSERT INTO haldensleben_search_version DEFAULT VALUES ON CONFLICT DO NOTHING;
"""
BUMP = "UPDATE haldensleben_search_version SET version = version + 1"
COUNT_CACHE_SIZE = 512
FAST_FACETS = FACET_FIELDS
# The two serialised copies of the dataset CKAN puts into each index document are three
# quarters of its size. Filters and facets never read them, so they live in their own column:
# the searched document stays small enough to be stored inline (not TOASTed and compressed),
# and a filter that matches thousands of datasets no longer unpacks kilobytes for each.
PAYLOAD = ("validated_data_dict", "data_dict")

SORTABLE = {
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
    "title_string": "lower(title)",
    "name": "name",
}
_ready = False
# Hits and facet counts per (index version, query): like Solr's filter cache, invalidated by
# any write.
_count_cache: OrderedDict[tuple, tuple[int, dict[str, list[tuple[str, int]]]]] = OrderedDict()


class SearchBackendError(pysolr.SolrError):
    """Raised where Solr would raise; CKAN turns it into SearchError or SearchQueryError."""


@dataclass
class Results:
    docs: list[dict[str, Any]]
    hits: int
    facets: dict[str, Any] = field(default_factory=dict)


def _ensure_table() -> None:
    """Create the index table once per process, on a connection of its own.

    Regression: created inside the request's transaction, the table vanished whenever that
    transaction was rolled back (a 404 on a fresh CKAN), while the process believed it existed.
    """
    global _ready  # noqa: PLW0603 - once per process
    if _ready:
        return
    with model.meta.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(DDL)
    _ready = True


def _cursor():
    _ensure_table()
    return model.Session.connection().connection.cursor()


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value if v)
    return str(value or "")


class PostgresSearch:
    """The subset of pysolr.Solr that CKAN 2.12 calls, on a table in CKAN's database."""

    url = "postgresql://ckan/haldensleben_search"

    def __init__(self, *args: Any, **kwargs: Any):
        pass

    # -- writing ------------------------------------------------------------------------------

    def add(self, docs: list[dict[str, Any]], commit: bool = False, **kwargs: Any) -> None:
        cursor = _cursor()
        cursor.execute(BUMP)
        for doc in docs:
            document = json.loads(json.dumps(doc, default=str))
            payload = {key: document.pop(key) for key in PAYLOAD if key in document}
            cursor.execute(
                """
                INSERT INTO haldensleben_search
                    (index_id, id, name, title, site_id, doc, tsv, metadata_modified,
                     metadata_created, payload)
                VALUES (%s, %s, %s, %s, %s, %s::jsonb,
                        setweight(to_tsvector('german', %s), 'A')
                        || setweight(to_tsvector('german', %s), 'B')
                        || setweight(to_tsvector('german', %s), 'C')
                        || setweight(to_tsvector('german', %s), 'D'),
                        %s::timestamptz, %s::timestamptz, %s::jsonb)
                ON CONFLICT (index_id) DO UPDATE SET
                    id = EXCLUDED.id, name = EXCLUDED.name, title = EXCLUDED.title,
                    site_id = EXCLUDED.site_id, doc = EXCLUDED.doc, tsv = EXCLUDED.tsv,
                    metadata_modified = EXCLUDED.metadata_modified,
                    metadata_created = EXCLUDED.metadata_created, payload = EXCLUDED.payload
                """,
                [
                    doc["index_id"],
                    doc["id"],
                    doc.get("name") or "",
                    doc.get("title") or "",
                    doc.get("site_id") or "",
                    json.dumps(document),
                    f"{doc.get('name') or ''} {doc.get('title') or ''}",
                    _text(doc.get("notes")),
                    " ".join(
                        [
                            _text(doc.get("tags")),
                            _text(doc.get("groups")),
                            _text(doc.get("organization")),
                        ]
                    ),
                    " ".join(
                        [
                            _text(doc.get("res_name")),
                            _text(doc.get("res_description")),
                            _text(doc.get("res_format")),
                        ]
                    ),
                    doc.get("metadata_modified"),
                    doc.get("metadata_created"),
                    json.dumps(payload),
                ],
            )

    def delete(
        self,
        q: str | None = None,
        id: str | None = None,
        commit: bool = True,
        **kwargs: Any,
    ) -> None:
        where = self._where(q) if q else Sql("(doc->>'index_id' = %s)", [id])
        cursor = _cursor()
        cursor.execute(BUMP)
        # Clauses come from syntax.py; every value in them is a bound parameter.
        cursor.execute(f"DELETE FROM haldensleben_search WHERE {where.text}", where.params)  # noqa: S608

    def commit(self, **kwargs: Any) -> None:
        """Nothing to do: the index commits with CKAN's transaction."""

    # -- reading ------------------------------------------------------------------------------

    def _where(self, *clauses: str) -> Sql:
        texts, params = [], []
        for clause in clauses:
            if not clause or clause.strip() in ("*:*", "*"):
                continue
            try:
                sql = to_sql(clause)
            except QuerySyntaxError as exc:
                raise SearchBackendError(f"Invalid search query {clause!r}: {exc}") from exc
            texts.append(sql.text)
            params += sql.params
        return Sql(" AND ".join(texts) or "TRUE", params)

    def search(self, q: str = "*:*", **kwargs: Any) -> Results:
        fq = kwargs.get("fq") or []
        fq = [fq] if isinstance(fq, str) else list(fq)
        free_text = q.strip() if q and ":" not in q and q.strip() not in ("*", '""') else ""
        where = self._where(*([] if free_text else [q]), *fq)
        rank, rank_params = "", []  # without words to rank by, "score" sorts nothing
        if free_text:
            where = Sql(
                f"({where.text}) AND tsv @@ websearch_to_tsquery('german', %s)",
                [*where.params, free_text],
            )
            # An exact name or title ranks first, then the full-text rank.
            rank = (
                "(CASE WHEN name = lower(%s) OR lower(title) = lower(%s) THEN 1000 ELSE 0 END"
                " + ts_rank_cd(tsv, websearch_to_tsquery('german', %s)))"
            )
            rank_params = [free_text, free_text, free_text]
        rows = max(0, min(int(kwargs.get("rows", 10)), 10_000))
        start = max(0, int(kwargs.get("start", 0)))
        order, order_params = self._order(kwargs.get("sort"), rank, rank_params)
        cursor = _cursor()
        # A database error must not abort CKAN's transaction: the search runs in a savepoint.
        cursor.execute("SAVEPOINT haldensleben_search")
        try:
            result = self._run(cursor, where, (order, order_params), (rows, start), kwargs)
        except psycopg2.Error as exc:
            cursor.execute("ROLLBACK TO SAVEPOINT haldensleben_search")
            raise SearchBackendError(f"the search could not be run: {exc.pgerror or exc}") from exc
        cursor.execute("RELEASE SAVEPOINT haldensleben_search")
        return result

    def _run(
        self,
        cursor,
        where: Sql,
        ordering: tuple[str, list],
        page: tuple[int, int],
        kwargs: dict[str, Any],
    ) -> Results:
        (order, order_params), (rows, start) = ordering, page
        hits, facets = self._counts(cursor, where, kwargs)
        # The page's keys first (narrow rows, sorted), then only those documents: sorting the
        # full documents would unpack every matching one.
        # WHERE and ORDER BY come from syntax.py and _order(); values are bound parameters.
        cursor.execute(
            f"SELECT index_id FROM haldensleben_search WHERE {where.text} "  # noqa: S608
            f"ORDER BY {order} LIMIT %s OFFSET %s",
            [*where.params, *order_params, rows, start],
        )
        keys = [row[0] for row in cursor.fetchall()]
        docs = self._documents(cursor, keys, kwargs.get("fl"))
        return Results(docs=docs, hits=hits, facets={"facet_fields": facets})

    @staticmethod
    def _documents(cursor, keys: list[str], fl: str | None) -> list[dict[str, Any]]:
        """The documents of `keys`, in that order, with the fields of `fl` only.

        CKAN asks for `id validated_data_dict`: that copy is read as the text CKAN stored (and
        parses itself), never as JSON the driver would parse first, and the other copy not at all.
        """
        if not keys:
            return []
        wanted = [f for f in re.split(r"[\s,]+", fl or "*") if f and f != "score"]
        if "*" in wanted:
            cursor.execute(
                "SELECT index_id, doc || payload FROM haldensleben_search WHERE index_id = ANY(%s)",
                [keys],
            )
            found = dict(cursor.fetchall())
            return [found[key] for key in keys if key in found]
        # One bound field name per column: (name, value) pairs, NULL where the field is absent.
        columns = ", ".join(
            "CASE WHEN payload ? %s THEN payload ->> %s END" if name in PAYLOAD else "doc -> %s"
            for name in wanted
        )
        params = [p for name in wanted for p in ((name, name) if name in PAYLOAD else (name,))]
        cursor.execute(
            f"SELECT index_id, {columns} FROM haldensleben_search "  # noqa: S608 - names bound
            "WHERE index_id = ANY(%s)",
            [*params, keys],
        )
        found = {row[0]: row[1:] for row in cursor.fetchall()}
        return [
            {
                name: value
                for name, value in zip(wanted, found[key], strict=True)
                if value is not None
            }
            for key in keys
            if key in found
        ]

    @staticmethod
    def _order(sort: str | None, rank: str, rank_params: list) -> tuple[str, list]:
        parts, params = [], []
        for item in (sort or "score desc, metadata_modified desc").split(","):
            words = item.split()
            if not words:
                continue
            if len(words) != 2 or words[1].lower() not in ("asc", "desc"):
                raise SearchBackendError(f"Can't determine Sort Order: {item.strip()!r}")
            name, direction = words[0], words[1].upper()
            if name == "score":
                if rank:
                    parts.append(f"{rank} {direction}")
                    params += rank_params
            elif name in SORTABLE:
                # CKAN always sets these (title is NOT NULL): no NULLS LAST, so that the
                # sort matches the indexes above.
                parts.append(f"{SORTABLE[name]} {direction}")
            elif name in ("views_recent", "views_total"):
                continue  # page views are not tracked in the index
            elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,99}", name):
                parts.append(f"doc->>%s {direction} NULLS LAST")
                params.append(name)
            else:
                raise SearchBackendError(f"Can't determine Sort Order: {item.strip()!r}")
        parts.append("index_id")  # a stable order for paging
        return ", ".join(parts), params

    def _counts(self, cursor, where: Sql, kwargs: dict[str, Any]) -> tuple[int, dict[str, list]]:
        """(number of hits, the requested facets): one pass over the matching datasets.

        Both are kept per index version, like Solr's caches: the catalogue page and the common
        filters are counted once per write to the index, not once per request.
        """
        fields: list[str] = []
        if str(kwargs.get("facet", "true")).lower() == "true":
            fields = kwargs.get("facet.field") or []
            fields = [fields] if isinstance(fields, str) else list(fields)
        limit = int(kwargs.get("facet.limit", 50))
        mincount = int(kwargs.get("facet.mincount", 1))
        for name in fields:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}", name):
                raise SearchBackendError(f"Invalid facet field {name!r}")
        # The version as this transaction sees it; a transaction that wrote to the index itself
        # (its own uncommitted version) neither reads nor fills the cache.
        cursor.execute(
            "SELECT version, txid_current_if_assigned() IS NULL FROM haldensleben_search_version"
        )
        version, clean = cursor.fetchone()
        key = (version, where.text, tuple(map(str, where.params)), tuple(fields), mincount)
        cached = _count_cache.get(key) if clean else None
        if cached is None:
            cached = self._count(cursor, where, fields, mincount)
            if clean:
                _count_cache[key] = cached
                while len(_count_cache) > COUNT_CACHE_SIZE:
                    _count_cache.popitem(last=False)
        else:
            _count_cache.move_to_end(key)
        hits, counted = cached
        facets = {}
        for name, pairs in counted.items():
            ranked = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
            if limit >= 0:
                ranked = ranked[:limit]
            facets[name] = [item for pair in ranked for item in pair]
        return hits, facets

    def _count(
        self, cursor, where: Sql, fields: list[str], mincount: int
    ) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        counted: dict[str, list[tuple[str, int]]] = {name: [] for name in fields}
        fast = [name for name in fields if name in FAST_FACETS]
        slow = [name for name in fields if name not in FAST_FACETS]
        # As in search(): the clauses are syntax.py's, values are bound parameters.
        if not fast:
            cursor.execute(
                f"SELECT count(*) FROM haldensleben_search WHERE {where.text}",  # noqa: S608
                where.params,
            )
            hits = cursor.fetchone()[0]
        else:
            # The matching rows once: each row's facet values and an empty one, whose count is
            # the number of hits (no facet value is empty). Unnested in the select list, which
            # PostgreSQL runs twice as fast as a lateral join.
            cursor.execute(
                "SELECT x, count(*) FROM (SELECT unnest(array_append(facets, '')) AS x "  # noqa: S608
                f"FROM haldensleben_search WHERE {where.text}) AS hit "
                "GROUP BY x HAVING count(*) >= %s OR x = ''",
                [*where.params, mincount],
            )
            hits = 0
            for entry, count in cursor.fetchall():
                if entry == "":
                    hits = count
                    continue
                name, _, value = entry.partition("\x1f")
                if name in counted and name in FAST_FACETS:
                    counted[name].append((value, count))
        if slow:
            self._slow_facets(cursor, where, slow, mincount, counted)
        return hits, counted

    @staticmethod
    def _slow_facets(cursor, where: Sql, fields: list[str], mincount: int, counted) -> None:
        """Facets on any other field (a schema field in search.facets), read from the JSON."""
        sql = (
            "SELECT f.facet, v.value, count(DISTINCT index_id) "  # noqa: S608
            "FROM haldensleben_search, unnest(%s::text[]) AS f(facet), "
            "LATERAL jsonb_array_elements_text(CASE jsonb_typeof(doc->f.facet) "
            "WHEN 'array' THEN doc->f.facet ELSE jsonb_build_array(doc->f.facet) END) AS v(value) "
            f"WHERE ({where.text}) AND doc ? f.facet AND v.value IS NOT NULL AND v.value <> '' "
            "GROUP BY f.facet, v.value HAVING count(DISTINCT index_id) >= %s"
        )
        cursor.execute(sql, [list(fields), *where.params, mincount])
        for name, value, count in cursor.fetchall():
            counted[name].append((value, count))
