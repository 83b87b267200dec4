// The lowest floor of a federated run: the same two requests as bench-floor.mjs (GitHub OIDC token, Entra
// token exchange) with node:https, which loads far less than fetch (undici) — no libraries, no masking,
// no diagnostics, one keep-alive connection.
import { request, Agent } from 'node:https';

const {
  ACTIONS_ID_TOKEN_REQUEST_URL: oidcUrl,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidcToken,
  FLOOR_AUTHORITY: authority,
  FLOOR_TENANT: tenant,
  FLOOR_CLIENT: client
} = process.env;
const agent = new Agent({ keepAlive: true });

function send(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, json: () => JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const oidc = await send(`${oidcUrl}&audience=${encodeURIComponent('api://AzureADTokenExchange')}`, {
  headers: { authorization: `Bearer ${oidcToken}` }
});
const body = new URLSearchParams({
  grant_type: 'client_credentials',
  client_id: client,
  scope: '499b84ac-1321-427f-aa17-267ca6975798/.default',
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: oidc.json().value
}).toString();
const token = await send(`${authority}/${tenant}/oauth2/v2.0/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
  body
});
agent.destroy();
if (token.status !== 200 || !token.json().access_token) process.exit(1);
