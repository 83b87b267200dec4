// Tags a release of the committed HEAD: the annotated tag vX.Y.Z, and the major tag vX moved to the same
// commit (what `uses: ...@v1` resolves to), then prints the `git push` commands, or runs them with --push.
//   npm run release [-- X.Y.Z] [--push] [--dry-run] [--allow-branch] [--remote NAME] [--root DIR]
// The version is package.json's (X.Y.Z, when given, must be it) and every file must carry it. Checks first:
// a clean working tree, HEAD on main (unless --allow-branch), the tag not yet taken. That the committed
// dist/ matches the source is CI's check, not repeated here. --dry-run checks and prints, and changes nothing.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, findDisagreements } from './version.mjs';

const RELEASE_BRANCH = 'main';

function parseOptions() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      push: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'allow-branch': { type: 'boolean' },
      remote: { type: 'string', default: 'origin' },
      root: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  });
  if (positionals.length > 1) throw new Error(`Expected at most one version, got: ${positionals.join(' ')}.`);
  return { ...values, version: positionals[0] };
}

function createGit(root) {
  return (...args) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trimEnd();
}

function tryGit(git, ...args) {
  try {
    return git(...args);
  } catch {
    return undefined;
  }
}

/** Every reason not to release, as full sentences; empty when HEAD can be tagged. */
function checkRelease(git, root, options, version) {
  const problems = [];
  const status = git('status', '--porcelain');
  if (status !== '') problems.push(`The working tree is not clean: commit or remove these first.\n${status}`);
  const branch = tryGit(git, 'symbolic-ref', '--quiet', '--short', 'HEAD');
  if (branch !== RELEASE_BRANCH && !options['allow-branch'])
    problems.push(
      `HEAD is ${branch ? `on the branch "${branch}"` : 'detached'}, not on ${RELEASE_BRANCH}: ` +
        `release from ${RELEASE_BRANCH}, or pass --allow-branch.`
    );
  if (options.version !== undefined && options.version.replace(/^v/, '') !== version)
    problems.push(
      `package.json's version is ${version}, not ${options.version}: run \`npm run set-version -- ` +
        `${options.version.replace(/^v/, '')}\`, \`npm run build\`, commit, then release.`
    );
  const disagreements = findDisagreements(root);
  if (disagreements.length > 0)
    problems.push(
      `These files do not carry package.json's version ${version}: ${disagreements.join(', ')}. ` +
        `Run \`npm run set-version -- ${version}\` and \`npm run build\`, and commit.`
    );
  if (tryGit(git, 'rev-parse', '--quiet', '--verify', `refs/tags/v${version}`) !== undefined)
    problems.push(
      `The tag v${version} already exists: set a new version with \`npm run set-version -- X.Y.Z\`.`
    );
  return problems;
}

function main() {
  const options = parseOptions();
  if (options.help) {
    console.log(
      'Usage: npm run release -- [X.Y.Z] [--push] [--dry-run] [--allow-branch] [--remote NAME] [--root DIR]'
    );
    return;
  }
  const root = resolve(options.root ?? REPO_ROOT);
  const git = createGit(root);
  if (tryGit(git, 'rev-parse', '--is-inside-work-tree') !== 'true')
    throw new Error(`${root} is not a git working tree.`);
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version))
    throw new Error(`package.json's version "${String(version)}" is not X.Y.Z: run \`npm run set-version\`.`);

  const problems = checkRelease(git, root, options, version);
  if (problems.length > 0) throw new Error(`Cannot release v${version}:\n- ${problems.join('\n- ')}`);

  const tag = `v${version}`;
  const major = `v${version.split('.')[0]}`;
  const commit = git('rev-parse', 'HEAD');
  const tagCommands = [
    ['tag', '--annotate', tag, '--message', `Release ${tag}`],
    ['tag', '--force', '--annotate', major, '--message', `Release ${tag}`]
  ];
  const pushCommands = [
    ['push', options.remote, `refs/tags/${tag}`],
    ['push', '--force', options.remote, `refs/tags/${major}`]
  ];
  // As of the last fetch: a tag on a commit that no branch of the remote has is a release nobody can review.
  const onRemote = tryGit(git, 'branch', '--remotes', '--contains', 'HEAD', '--list', `${options.remote}/*`);
  if (!onRemote)
    console.warn(
      `warning: ${commit.slice(0, 12)} is on no branch of ${options.remote} (as last fetched): push the branch ` +
        'before the tags.'
    );
  const show = (args) => `git ${args.map((a) => (/^[\w./:@-]+$/.test(a) ? a : `'${a}'`)).join(' ')}`;

  if (options['dry-run']) {
    console.log(`Dry run: would tag ${commit} as ${tag} and move ${major} to it:`);
    for (const args of tagCommands) console.log(`  ${show(args)}`);
    console.log(
      options.push ? 'then push them:' : 'then print the commands that push them (--push runs them):'
    );
    for (const args of pushCommands) console.log(`  ${show(args)}`);
    return;
  }
  for (const args of tagCommands) git(...args);
  console.log(`Tagged ${commit} as ${tag} and moved ${major} to it.`);
  if (options.push) {
    for (const args of pushCommands) {
      console.log(show(args));
      git(...args);
    }
    console.log(`Pushed ${tag} and ${major} to ${options.remote}.`);
  } else {
    console.log('Push them with:');
    for (const args of pushCommands) console.log(`  ${show(args)}`);
  }
}

try {
  main();
} catch (error) {
  // A failed git command's message already ends with git's own stderr.
  console.error(`error: ${error instanceof Error ? error.message.trim() : String(error)}`);
  process.exitCode = 1;
}
