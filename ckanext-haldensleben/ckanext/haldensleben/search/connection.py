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
from dataclasses import dataclass, field
from typing import Any

import psycopg2
import pysolr
from ckan import model

from ckanext.haldensleben.search.syntax import QuerySyntaxError, Sql, to_sql

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
"""

SORTABLE = {
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
    "title_string": "lower(title)",
    "name": "name",
}
# Fields shown as facets are lists (tags, groups, res_format) or single values (license_id).
LIST_OR_VALUE = (
    "jsonb_array_elements_text(CASE jsonb_typeof(doc->%s) WHEN 'array' THEN doc->%s "
    "ELSE jsonb_build_array(doc->%s) END)"
)
_ready = False


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
        for doc in docs:
            document = json.loads(json.dumps(doc, default=str))
            cursor.execute(
                """
                INSERT INTO haldensleben_search
                    (index_id, id, name, title, site_id, doc, tsv, metadata_modified,
                     metadata_created)
                VALUES (%s, %s, %s, %s, %s, %s::jsonb,
                        setweight(to_tsvector('german', %s), 'A')
                        || setweight(to_tsvector('german', %s), 'B')
                        || setweight(to_tsvector('german', %s), 'C')
                        || setweight(to_tsvector('german', %s), 'D'),
                        %s::timestamptz, %s::timestamptz)
                ON CONFLICT (index_id) DO UPDATE SET
                    id = EXCLUDED.id, name = EXCLUDED.name, title = EXCLUDED.title,
                    site_id = EXCLUDED.site_id, doc = EXCLUDED.doc, tsv = EXCLUDED.tsv,
                    metadata_modified = EXCLUDED.metadata_modified,
                    metadata_created = EXCLUDED.metadata_created
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
        # Clauses come from syntax.py; every value in them is a bound parameter.
        _cursor().execute(f"DELETE FROM haldensleben_search WHERE {where.text}", where.params)  # noqa: S608

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
        # WHERE and ORDER BY come from syntax.py and _order(); values are bound parameters.
        count_sql = f"SELECT count(*) FROM haldensleben_search WHERE {where.text}"  # noqa: S608
        cursor.execute(count_sql, where.params)
        hits = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT doc FROM haldensleben_search WHERE {where.text} "  # noqa: S608
            f"ORDER BY {order} LIMIT %s OFFSET %s",
            [*where.params, *order_params, rows, start],
        )
        docs = [self._fields(row[0], kwargs.get("fl")) for row in cursor.fetchall()]
        facets = self._facets(where, kwargs)
        return Results(docs=docs, hits=hits, facets={"facet_fields": facets})

    @staticmethod
    def _fields(doc: dict[str, Any], fl: str | None) -> dict[str, Any]:
        if not fl or fl.strip() == "*":
            return doc
        wanted = [f for f in re.split(r"[\s,]+", fl) if f and f != "score"]
        return {f: doc[f] for f in wanted if f in doc}

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
                parts.append(f"{SORTABLE[name]} {direction} NULLS LAST")
            elif name in ("views_recent", "views_total"):
                continue  # page views are not tracked in the index
            elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,99}", name):
                parts.append(f"doc->>%s {direction} NULLS LAST")
                params.append(name)
            else:
                raise SearchBackendError(f"Can't determine Sort Order: {item.strip()!r}")
        parts.append("index_id")  # a stable order for paging
        return ", ".join(parts), params

    def _facets(self, where: Sql, kwargs: dict[str, Any]) -> dict[str, list]:
        if str(kwargs.get("facet", "true")).lower() != "true":
            return {}
        fields = kwargs.get("facet.field") or []
        fields = [fields] if isinstance(fields, str) else list(fields)
        limit = int(kwargs.get("facet.limit", 50))
        mincount = int(kwargs.get("facet.mincount", 1))
        cursor = _cursor()
        facets = {}
        for name in fields:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}", name):
                raise SearchBackendError(f"Invalid facet field {name!r}")
            # As in search(): the clauses are syntax.py's, values are bound parameters.
            sql = (
                "SELECT value, count(DISTINCT index_id) "  # noqa: S608
                f"FROM haldensleben_search, {LIST_OR_VALUE} AS value "
                f"WHERE ({where.text}) AND doc ? %s AND value IS NOT NULL AND value <> '' "
                "GROUP BY value HAVING count(DISTINCT index_id) >= %s "
                "ORDER BY count(DISTINCT index_id) DESC, value"
            )
            params = [name, name, name, *where.params, name, mincount]
            if limit >= 0:
                sql += " LIMIT %s"
                params.append(limit)
            cursor.execute(sql, params)
            flat: list[Any] = []
            for value, count in cursor.fetchall():
                flat += [value, count]
            facets[name] = flat
        return facets
