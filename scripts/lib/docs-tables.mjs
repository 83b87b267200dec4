// The Markdown tables that restate action.yml, task.json and the CLI's option list. Pure functions: the
// `npm run docs` script writes their output between marker comments, and test/contract/readme.test.ts renders
// them again and fails when the committed files differ. Markdown is .prettierignore'd, so the tables are
// rendered in the house form (`| a | b |`, `| --- |` rules) and never reformatted.

/**
 * @typedef {{ description?: string, required?: boolean, default?: string }} ActionInput
 * @typedef {{ inputs: Record<string, ActionInput>, outputs: Record<string, { description?: string }> }} Action
 * @typedef {{ name: string, type: string, label?: string, aliases?: string[], defaultValue?: string | boolean,
 *   required?: boolean, groupName?: string, visibleRule?: string, helpMarkDown?: string,
 *   options?: Record<string, string> }} TaskInput
 * @typedef {{ inputs: TaskInput[], groups?: { name: string, displayName: string }[],
 *   outputVariables: { name: string, description?: string }[] }} Task
 * @typedef {{ type: string, short?: string, value?: string, env?: string, commands?: readonly string[],
 *   group: string, help: string }} CliOption
 * @typedef {{ action: Action, task: Task, cliOptions: Record<string, CliOption> }} DocSources
 */

/** A cell's text: one line, pipes escaped so they cannot end the cell. */
function cell(text) {
  return String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

/** `value` as a code span, or nothing for an empty value. */
function code(value) {
  return value === undefined || value === '' ? '' : `\`${String(value)}\``;
}

/** @param {string[]} header @param {string[][]} rows @returns {string} */
export function table(header, rows) {
  const line = (cells) => `| ${cells.map(cell).join(' | ')} |`.replace(/ {2,}\|/g, ' |');
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** @param {Action} action @returns {string} */
export function renderGitHubInputs(action) {
  return table(
    ['Input', 'Default', 'Description'],
    Object.entries(action.inputs).map(([name, input]) => [
      `${code(name)}${input.required ? ' (required)' : ''}`,
      code(input.default),
      input.description ?? ''
    ])
  );
}

/** @param {Action} action @returns {string} */
export function renderGitHubOutputs(action) {
  return table(
    ['Output', 'Description'],
    Object.entries(action.outputs).map(([name, output]) => [code(name), output.description ?? ''])
  );
}

/** The type column: a pick list shows its values, a service connection its kind. @param {TaskInput} input */
function taskType(input) {
  if (input.type === 'pickList' && input.options)
    return `pickList: ${Object.keys(input.options).map(code).join(', ')}`;
  const [kind, detail] = input.type.split(':');
  return detail === undefined ? kind : `${kind} (${detail})`;
}

/** @param {Task} task @returns {string} */
export function renderTaskInputs(task) {
  const groups = new Map((task.groups ?? []).map((g) => [g.name, g.displayName]));
  return table(
    ['Input', 'Type', 'Default', 'Description'],
    task.inputs.map((input) => {
      const notes = [
        ...(input.aliases ?? []).map((alias) => `alias ${code(alias)}`),
        ...(input.required ? ['required'] : []),
        ...(input.groupName ? [`group ${groups.get(input.groupName) ?? input.groupName}`] : [])
      ];
      const shown = input.visibleRule ? `Shown when ${code(input.visibleRule)}. ` : '';
      return [
        `${code(input.name)}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`,
        taskType(input),
        code(input.defaultValue),
        `${shown}${input.helpMarkDown ?? ''}`
      ];
    })
  );
}

/** The token variables are named by the variableName input; the others are task.json's outputVariables. */
/** @param {Task} task @returns {string} */
export function renderTaskOutputs(task) {
  const variable = String(task.inputs.find((i) => i.name === 'variableName')?.defaultValue ?? '');
  return table(
    ['Variable', 'Secret', 'Description'],
    [
      [
        '`<variableName>`',
        'yes',
        `The token, for the later steps of the same job: \`$(${variable})\` with the default \`variableName\`.`
      ],
      [
        '`<step name>.<variableName>`',
        'yes',
        `The token, for later jobs: \`dependencies.<job>.outputs['<step name>.${variable}']\`.`
      ],
      ...task.outputVariables.map((o) => [code(`<step name>.${o.name}`), 'no', o.description ?? ''])
    ]
  );
}

/** @param {Record<string, CliOption>} options @returns {string} */
export function renderCliOptions(options) {
  return table(
    ['Option', 'Environment', 'Commands', 'Description'],
    Object.entries(options).map(([name, spec]) => [
      [
        ...(spec.short ? [code(`-${spec.short}`)] : []),
        code(`--${name}${spec.value ? ` ${spec.value}` : ''}`)
      ].join(', '),
      code(spec.env),
      spec.commands ? spec.commands.map(code).join(', ') : 'all',
      spec.help
    ])
  );
}

/** Where each generated table goes. @type {{ file: string, name: string, render: (s: DocSources) => string }[]} */
export const GENERATED = [
  { file: 'README.md', name: 'github-inputs', render: (s) => renderGitHubInputs(s.action) },
  { file: 'README.md', name: 'github-outputs', render: (s) => renderGitHubOutputs(s.action) },
  { file: 'README.md', name: 'azure-inputs', render: (s) => renderTaskInputs(s.task) },
  { file: 'README.md', name: 'azure-outputs', render: (s) => renderTaskOutputs(s.task) },
  { file: 'docs/command-line.md', name: 'cli-options', render: (s) => renderCliOptions(s.cliOptions) }
];

/**
 * `text` with the block between `<!-- generated: NAME -->` and `<!-- end generated: NAME -->` replaced.
 * @param {string} text @param {string} name @param {string} content @returns {string}
 */
export function replaceGenerated(text, name, content) {
  const start = `<!-- generated: ${name} -->`;
  const end = `<!-- end generated: ${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from === -1 || to === -1) throw new Error(`No '${start}' ... '${end}' markers found.`);
  return `${text.slice(0, from + start.length)}\n<!-- Do not edit: npm run docs writes this table. -->\n\n${content}\n\n${text.slice(to)}`;
}

/**
 * The files as `npm run docs` leaves them. @param {Record<string, string>} files their current text, by path
 * @param {DocSources} sources @returns {Record<string, string>}
 */
export function renderDocs(files, sources) {
  const result = { ...files };
  for (const { file, name, render } of GENERATED) {
    const text = result[file];
    if (text === undefined) throw new Error(`${file} was not given.`);
    result[file] = replaceGenerated(text, name, render(sources));
  }
  return result;
}
