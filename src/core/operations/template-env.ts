/**
 * Which environment variables `{{ env.NAME }}` may read. Templates render into requests sent to Azure DevOps
 * and into the step's `results` output, so any variable that may carry a credential is left out: by its name
 * (the runner's and agent's own variables, and the usual names of tokens, keys, passwords and connection
 * strings) or by its value (a URL with a user name or password, a connection string with a password or key).
 * The list cannot know every name: a value that holds a secret the run knows is refused at render time too.
 */
const HIDDEN_NAME = new RegExp(
  [
    'TOKEN',
    'SECRET',
    'PASSWORD',
    'PASSWD',
    'PASSPHRASE',
    'CREDENTIAL',
    'PRIVATE',
    'CONNECTION_?STRING',
    'CONN_?STR',
    'COOKIE',
    'APIKEY',
    'ACCESSKEY',
    '(^|_)PAT($|_)',
    '_PWD$',
    'KEY($|_)',
    '(^|_)AUTH(ORIZATION)?($|_)',
    '(^|_)SAS($|_)',
    '^INPUT_',
    '^ENDPOINT_',
    '^ACTIONS_',
    '^STATE_',
    '^SECRET_',
    '^SECUREFILE_',
    '^VSS_NUGET_',
    '^PIP_(EXTRA_)?INDEX_URL$'
  ].join('|'),
  'i'
);

/** `scheme://user[:password]@`, anywhere in the value (lists of URLs too). */
const URL_WITH_USERINFO = /[a-z][a-z0-9+.-]*:\/\/[^\s/?#@]+@/i;
/** `user:password@host` without a scheme, as proxy variables are sometimes written. */
const BARE_USERINFO = /^[^\s/@:]+:[^\s/@]*@[^\s/@]+/;
/** Connection strings and key=value credential lists (`Password=…`, `AccountKey=…`, `SharedAccessKey=…`). */
const CREDENTIAL_PAIR = /(^|[;\s])(password|pwd|accountkey|sharedaccesskey|sharedaccesssignature)\s*=/i;

export function isHiddenVariable(name: string, value: string): boolean {
  return (
    HIDDEN_NAME.test(name) ||
    URL_WITH_USERINFO.test(value) ||
    BARE_USERINFO.test(value) ||
    CREDENTIAL_PAIR.test(value)
  );
}

/** The variables templates may read, from `env` (a snapshot taken before the step exported anything). */
export function templateEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (e): e is [string, string] => e[1] !== undefined && !isHiddenVariable(e[0], e[1])
    )
  );
}
