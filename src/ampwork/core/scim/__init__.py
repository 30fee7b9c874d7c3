"""SCIM 2.0 provisioning (RFC 7643, RFC 7644) at ``/scim/v2/``, per organisation.

An organisation's identity provider (Microsoft Entra ID, Okta, …) pushes its people as
SCIM Users (ampwork's ``Person``) and its groups as SCIM Groups (ampwork's ``Team``),
with the enterprise extension's ``manager`` as the reporting line. The bearer token
(``core.services.scim_tokens``) decides the organisation: every lookup is inside it, so
another organisation's ids are a 404 and a filter cannot reach them.

- ``protocol``: the SCIM error, the JSON responses, the list envelope, paging
- ``filters``: a filter (``userName eq "…"``) into a Django ``Q`` through
  ``scim2-filter-parser``'s transpiler, refusing attributes it does not know
- ``users`` / ``groups``: a resource to and from ampwork's rows; every write goes through
  core's services (``create_person``, ``update_person``, ``add_membership``, …), so the
  audit log records it and its rules hold
- ``discovery``: ServiceProviderConfig, ResourceTypes, Schemas
- ``views`` / ``urls``: the routes; no session, no CSRF, bearer token only

Why not django-scim2: see ``docs/architecture.md`` (*SCIM provisioning*).
"""
