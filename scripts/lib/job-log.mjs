// A step's output as the job log shows it: workflow commands processed and hidden, every masked value
// replaced by ***, groups as headings with their lines indented, debug lines only in a debug run.
// GitHub: the runner's `::command::` syntax, warnings and errors labelled as the web log labels them.
// Azure Pipelines: the agent's `##vso[...]` commands; `##[group]` and the other `##[...]` formats stay.

const GROUP_HEADING = '▾ ';
const GROUP_INDENT = '  ';
/** Runner commands that change state and show nothing. */
const RUNNER_SILENT = new Set([
  'add-mask',
  'set-output',
  'save-state',
  'set-env',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'echo'
]);
const RUNNER_LABELS = /** @type {Record<string, string>} */ ({
  warning: 'Warning: ',
  error: 'Error: ',
  notice: 'Notice: '
});

/**
 * Replaces every mask by ***, longest first (a token's signature is also a mask of its own), and each line
 * of a multi-line mask on its own as the runner and the agent do.
 * @param {string} text
 * @param {string[]} masks
 * @returns {string}
 */
export function maskSecrets(text, masks) {
  const parts = masks.flatMap((m) => [m, ...m.split(/\r?\n/)]).filter((m) => m.trim() !== '');
  return [...new Set(parts)]
    .sort((a, b) => b.length - a.length)
    .reduce((t, m) => t.split(m).join('***'), text);
}

/**
 * A group as the log shows it expanded: the heading, then its lines indented. For what the runner or the
 * agent prints itself, such as the `with:` block before an action's own output.
 * @param {string} title
 * @param {string[]} lines
 * @returns {string[]}
 */
export function formatGroup(title, lines) {
  return [`${GROUP_HEADING}${title}`, ...lines.map((line) => `${GROUP_INDENT}${line}`)];
}

/**
 * @param {string} stdout a step's output
 * @param {string[]} masks values registered with ::add-mask::
 * @param {boolean} debug whether the run is a debug run (RUNNER_DEBUG)
 * @returns {string}
 */
export function renderRunnerLog(stdout, masks, debug) {
  return render(stdout, masks, (line) => {
    const command = /^::([A-Za-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (!command) return { text: line };
    const [, name = '', data = ''] = command;
    const message = data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
    if (name === 'group') return { open: message };
    if (name === 'endgroup') return { close: true };
    if (name === 'debug') return debug ? { text: `##[debug]${message}` } : {};
    const label = RUNNER_LABELS[name];
    if (label) return { text: `${label}${message}` };
    return RUNNER_SILENT.has(name) ? {} : { text: line };
  });
}

/**
 * @param {string} stdout a task's output
 * @param {string[]} masks values from ##vso[task.setsecret] and secret ##vso[task.setvariable]
 * @param {boolean} debug whether the run is a debug run (System.Debug)
 * @returns {string}
 */
export function renderAgentLog(stdout, masks, debug) {
  return render(stdout, masks, (line) => {
    if (line.startsWith('##[group]')) return { open: line.slice('##[group]'.length) };
    if (line.startsWith('##[endgroup]')) return { close: true };
    const command = /^##vso\[([\w.]+)([^\]]*)\](.*)$/.exec(line);
    if (!command) return { text: line };
    const [, name, props = '', data = ''] = command;
    const message = data
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%3B/g, ';')
      .replace(/%5D/g, ']')
      .replace(/%25/g, '%');
    if (name === 'task.debug') return debug ? { text: `##[debug]${message}` } : {};
    if (name === 'task.issue' || name === 'task.logissue') {
      const type = /(?:^|[\s;])type=(\w+)/.exec(props)?.[1] ?? 'warning';
      return { text: `##[${type}]${message}` };
    }
    return {}; // every other ##vso command is processed by the agent and not shown
  });
}

/**
 * @typedef {{ text?: string, open?: string, close?: boolean }} Shown  what one output line becomes
 * @param {string} output
 * @param {string[]} masks
 * @param {(line: string) => Shown} show
 * @returns {string}
 */
function render(output, masks, show) {
  const lines = output.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  /** @type {string[]} */
  const shown = [];
  let indent = '';
  for (const line of lines) {
    const { text, open, close } = show(line.replace(/\r$/, ''));
    if (close) indent = '';
    if (open !== undefined) {
      shown.push(`${GROUP_HEADING}${maskSecrets(open, masks)}`);
      indent = GROUP_INDENT;
    }
    if (text !== undefined)
      for (const part of maskSecrets(text, masks).split(/\r?\n/)) shown.push(`${indent}${part}`);
  }
  return shown.join('\n');
}
