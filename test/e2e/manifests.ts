import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface TaskInput {
  name: string;
  defaultValue?: string | boolean;
}

/** action.yml is simple YAML: read each input's default the way the runner does. */
export function actionDefaults(): Record<string, string> {
  const text = readFileSync(`${ROOT}action.yml`, 'utf8');
  const inputsBlock = /^inputs:\n([\s\S]*?)^\S/m.exec(text)?.[1] ?? '';
  const defaults: Record<string, string> = {};
  let current: string | undefined;
  for (const line of inputsBlock.split('\n')) {
    const name = /^ {2}([a-z-]+):\s*$/.exec(line)?.[1];
    if (name) current = name;
    const value = /^ {4}default:\s*'(.*)'\s*$/.exec(line)?.[1];
    if (current && value !== undefined) defaults[current] = value.replace(/''/g, "'");
  }
  return defaults;
}

export function actionInputNames(): string[] {
  const text = readFileSync(`${ROOT}action.yml`, 'utf8');
  const inputsBlock = /^inputs:\n([\s\S]*?)^\S/m.exec(text)?.[1] ?? '';
  return [...inputsBlock.matchAll(/^ {2}([a-z-]+):\s*$/gm)].map((m) => m[1] ?? '');
}

export function actionOutputNames(): string[] {
  const text = readFileSync(`${ROOT}action.yml`, 'utf8');
  const block = /^outputs:\n([\s\S]*?)^\S/m.exec(text)?.[1] ?? '';
  return [...block.matchAll(/^ {2}([a-z-]+):\s*$/gm)].map((m) => m[1] ?? '');
}

export function taskManifest(): {
  inputs: TaskInput[];
  outputVariables: { name: string }[];
  execution: Record<string, { target: string }>;
  version: { Major: number; Minor: number; Patch: number };
  [key: string]: unknown;
} {
  return JSON.parse(readFileSync(`${ROOT}task.json`, 'utf8'));
}

export function taskDefaults(): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const input of taskManifest().inputs) {
    if (input.defaultValue !== undefined) defaults[input.name] = String(input.defaultValue);
  }
  return defaults;
}
