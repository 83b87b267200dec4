import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ActionManifest {
  name: string;
  description: string;
  author?: string;
  branding?: { icon?: string; color?: string };
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string };
}

export interface TaskInput {
  name: string;
  type: string;
  label: string;
  defaultValue?: string | boolean;
  visibleRule?: string;
  helpMarkDown?: string;
}

export interface TaskManifest {
  id: string;
  name: string;
  friendlyName: string;
  instanceNameFormat: string;
  version: { Major: number; Minor: number; Patch: number };
  inputs: TaskInput[];
  outputVariables: { name: string; description?: string }[];
  execution: Record<string, { target: string }>;
  [key: string]: unknown;
}

export function actionManifest(): ActionManifest {
  return parse(readFileSync(`${ROOT}action.yml`, 'utf8')) as ActionManifest;
}

export function taskManifest(): TaskManifest {
  return JSON.parse(readFileSync(`${ROOT}task.json`, 'utf8')) as TaskManifest;
}

// The defaults the runner and the agent fill in: one implementation, shared with the demo (plain JS).
export { actionDefaults, taskDefaults } from '../../scripts/lib/hosts.mjs';
