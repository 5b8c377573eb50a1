# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class ThrowawayConfig(AppConfig):
    name = "tests.core.throwaway"
    label = "throwaway"

    def ready(self) -> None:
        from hub.core.registry import PortalEntry, SearchHit, Service, Urls, registry

        class Search:
            name = "throwaway"

            def search(self, query, *, request, limit):
                if "wegwerf" not in query.lower():
                    return []
                return [SearchHit("Wegwerf-Treffer", "/wegwerf/", "Wegwerf", rank=9)]

        registry.add_service(Service("throwaway", "Wegwerfdienst"))
        registry.add_urls(
            Urls(
                "tests.core.throwaway.urls",
                namespace="throwaway",
                sample="tests.core.throwaway.views:sample",
            )
        )
        registry.add_periodic("throwaway-tick", "tests.core.throwaway.tick", 42.0)
        registry.add_seed("throwaway", lambda out: out.write("seeded the throwaway"), order=99)
        registry.add_role_set("throwaway-staff", {"moderator", "tenant-admin"})
        registry.add_search(Search())
        registry.add_portal_entry(
            PortalEntry(
                "throwaway",
                "Wegwerfdienst nutzen",
                "Ein Dienst, den es nur im Test gibt",
                url_name="throwaway:page",
                order=1,
            )
        )
