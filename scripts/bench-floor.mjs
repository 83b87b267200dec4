// A floor of a federated run: the same two requests (GitHub OIDC token, Entra token
// exchange) with Node's built-in fetch and nothing else — no libraries, no masking, no diagnostics.
const {
  ACTIONS_ID_TOKEN_REQUEST_URL: oidcUrl,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidcToken,
  FLOOR_AUTHORITY: authority,
  FLOOR_TENANT: tenant,
  FLOOR_CLIENT: client
} = process.env;
const oidc = await fetch(`${oidcUrl}&audience=${encodeURIComponent('api://AzureADTokenExchange')}`, {
  headers: { authorization: `Bearer ${oidcToken}` }
});
const { value } = await oidc.json();
const token = await fetch(`${authority}/${tenant}/oauth2/v2.0/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: client,
    scope: '499b84ac-1321-427f-aa17-267ca6975798/.default',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: value
  })
});
if (!token.ok || !(await token.json()).access_token) process.exit(1);
