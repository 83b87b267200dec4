#!/bin/sh
# A developer's shell: the same engine with your existing `az login` (no app registration needed).
#   az login --allow-no-subscriptions      # once; --tenant TENANT for a specific tenant
set -eu

# The token on stdout (diagnostics go to stderr), e.g. for curl:
TOKEN=$(npx --yes azure-devops-entra-token token --azure-cli --organization contoso --quiet)
curl --fail-with-body -sS -H "Authorization: Bearer $TOKEN" \
  "https://dev.azure.com/contoso/_apis/projects?api-version=7.1"

# JSON with the expiry and identity:
npx --yes azure-devops-entra-token token --azure-cli --json | jq '{expiresOn, objectId}'

# Or run a command with the token and git credentials for the organization:
npx --yes azure-devops-entra-token exec --azure-cli --organization contoso -- git fetch --all
