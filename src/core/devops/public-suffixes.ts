/**
 * Domains under which anyone can get a name: country-code second levels and shared hosting. A wildcard over
 * one of them (`*.co.uk`, `*.azurewebsites.net`) would send the token to strangers' hosts. This is not the
 * Public Suffix List (about 10,000 entries; the npm packages that ship it add 100-300 kB to every bundle and
 * a parse at start-up, and need updating): a wildcard must already have two labels after `*.`, which
 * covers every single-label suffix (`*.com`, `*.io`), and this list adds the multi-label suffixes people
 * are most likely to type, among them the hosting domains of Azure, where an Azure DevOps token is most
 * likely to be pointed.
 */
export const MULTI_LABEL_PUBLIC_SUFFIXES: ReadonlySet<string> = new Set([
  // Country-code second levels.
  ...['co', 'org', 'me', 'ltd', 'plc', 'net', 'ac', 'gov', 'sch', 'nhs'].map((l) => `${l}.uk`),
  ...['com', 'net', 'org', 'edu', 'gov', 'id', 'asn'].map((l) => `${l}.au`),
  ...['co', 'org', 'net', 'ac', 'govt', 'geek', 'kiwi'].map((l) => `${l}.nz`),
  ...['co', 'ne', 'or', 'ac', 'go', 'gr', 'ed', 'lg'].map((l) => `${l}.jp`),
  ...['co', 'or', 'ne', 'ac', 'go', 're'].map((l) => `${l}.kr`),
  ...['co', 'net', 'org', 'firm', 'gen', 'ind', 'ac', 'edu', 'gov'].map((l) => `${l}.in`),
  ...['co', 'org', 'net', 'ac', 'gov', 'web'].map((l) => `${l}.za`),
  ...['co', 'org', 'net', 'ac', 'gov'].map((l) => `${l}.il`),
  ...['co', 'or', 'ac', 'go', 'web', 'my'].map((l) => `${l}.id`),
  ...['co', 'or', 'ac', 'go', 'in'].map((l) => `${l}.th`),
  ...['com', 'net', 'org', 'edu', 'gov'].flatMap((l) =>
    [
      'br',
      'cn',
      'mx',
      'ar',
      'tr',
      'tw',
      'hk',
      'sg',
      'my',
      'ph',
      'vn',
      'ua',
      'pk',
      'eg',
      'sa',
      'ng',
      'co',
      'pe'
    ].map((cc) => `${l}.${cc}`)
  ),
  ...['com', 'net', 'org', 'co', 'biz', 'info'].map((l) => `${l}.pl`),
  // Azure hosting: every customer gets a name under these.
  'azurewebsites.net',
  'azurestaticapps.net',
  'azure-api.net',
  'azureedge.net',
  'azurefd.net',
  'azurecr.io',
  'azurecontainer.io',
  'azurecontainerapps.io',
  'azure-mobile.net',
  'azurehdinsight.net',
  'azureiotcentral.com',
  'cloudapp.net',
  'cloudapp.azure.com',
  'trafficmanager.net',
  'servicebus.windows.net',
  'database.windows.net',
  'vault.azure.net',
  ...['blob', 'web', 'file', 'queue', 'table', 'dfs'].map((s) => `${s}.core.windows.net`),
  // Other shared hosting and tunnels.
  'github.io',
  'githubusercontent.com',
  'gitlab.io',
  'herokuapp.com',
  'netlify.app',
  'vercel.app',
  'pages.dev',
  'workers.dev',
  'web.app',
  'firebaseapp.com',
  'appspot.com',
  'cloudfront.net',
  'amazonaws.com',
  's3.amazonaws.com',
  'elasticbeanstalk.com',
  'onrender.com',
  'fly.dev',
  'ngrok.io',
  'ngrok.app',
  'ngrok-free.app',
  'trycloudflare.com',
  'blogspot.com'
]);
