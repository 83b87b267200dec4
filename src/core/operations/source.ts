import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError, quoteInputs } from '../errors.js';
import type { Organization } from '../settings.js';
import type { RawInput } from '../validate.js';
import { createHostPolicy, HostNotAllowedError } from '../devops/host-policy.js';
import { operationLabel, OperationFormatError, type Operation } from './model.js';
import { operationsFileInput } from './lazy.js';
import { parseOperations } from './parse.js';
import { checkListedItems, preflightOperations } from './preflight.js';

export interface OperationsInputs {
  inline: RawInput;
  file: RawInput;
  /** Relative operation files are found here (the workspace / the default working directory). */
  baseDir: string;
  organization: Organization | undefined;
  /** The allowed-hosts input, parsed: literal absolute URLs are checked against the host policy up front. */
  allowedHosts: string[];
}

/** Reads the operations from the inline input or the file input (not both); undefined when neither is set. */
export function readOperations(inputs: OperationsInputs): Operation[] | undefined {
  const inline = inputs.inline.value.trim();
  const file = operationsFileInput(inputs.file.value, inputs.baseDir);
  if (inline !== '' && file !== '') {
    throw new InputError(
      inputs.file.name,
      `${quoteInputs(inputs.inline, inputs.file)} are both set. Give the operations in one of them.`
    );
  }
  if (inline !== '')
    return checkLiteralHosts(
      parseOperations(inline, quoteInputs(inputs.inline), inputs.organization),
      inputs,
      quoteInputs(inputs.inline)
    );
  if (file === '') return undefined;
  const path = isAbsolute(file) ? file : resolve(inputs.baseDir, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      inputs.file.name,
      `${quoteInputs(inputs.file)} is '${file}', but ${path} cannot be read (${code ?? String(error)}). Give a path relative to ${inputs.baseDir}, and check out the repository before this step.`
    );
  }
  return checkLiteralHosts(
    parseOperations(text, `The operations file ${file}`, inputs.organization),
    inputs,
    `The operations file ${file}`
  );
}

/**
 * Fails on what is wrong before any request, the token's included: the pre-flight against Microsoft's REST API
 * index (routes, methods, versions, query, body, content type). The operations come back as they will run
 * (routed, with the route's api-version); the run logs what the check found instead of checking again.
 */
function checkAgainstApi(operations: Operation[], inputs: OperationsInputs, source: string): Operation[] {
  try {
    const checked = preflightOperations(operations, {
      organization: inputs.organization,
      info: () => undefined
    });
    for (const operation of checked) checkListedItems(operation, inputs.organization);
    return checked;
  } catch (error) {
    if (error instanceof OperationFormatError) throw new OperationFormatError(`${source}, ${error.message}`);
    throw error;
  }
}

/** A URL without templates that points at a host the token may not go to fails now, not after earlier operations ran. */
function checkLiteralHosts(operations: Operation[], inputs: OperationsInputs, source: string): Operation[] {
  const policy = createHostPolicy(inputs.organization, inputs.allowedHosts);
  for (const operation of operations) {
    if (operation.url.includes('{{') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(operation.url)) continue;
    try {
      policy.check(new URL(operation.url));
    } catch (error) {
      if (!(error instanceof HostNotAllowedError)) {
        throw new OperationFormatError(
          `${source}, ${operationLabel(operation.index, operation.name)}, field 'url': '${operation.url}' is not a valid URL.`
        );
      }
      throw new OperationFormatError(
        `${source}, ${operationLabel(operation.index, operation.name)}, field 'url': ${error.message}`
      );
    }
  }
  return checkAgainstApi(operations, inputs, source);
}
