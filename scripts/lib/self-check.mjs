// The demo's self-check, as the end-to-end tests check every captured log: nothing it is about to print may
// hold a secret the emulator issued or holds (tokens, their signatures, client secrets, keys), nor
// anything shaped like a JWT.

const JWT = /eyJ[\w-]{8,}\.[\w-]{8,}(\.[\w-]*)?/g;

/**
 * Describes each line of `text` that would leak, with the secret itself replaced; empty when none does.
 * @param {string} text
 * @param {string[]} secrets e.g. `emu.secrets()`
 * @returns {string[]}
 */
export function findLeaks(text, secrets) {
  const candidates = secrets.filter((s) => s.length >= 6);
  const leaks = [];
  for (const [index, line] of text.split('\n').entries()) {
    const found = candidates.filter((s) => line.includes(s));
    if (found.length === 0 && !new RegExp(JWT.source).test(line)) continue;
    const hidden = found.reduce((l, s) => l.split(s).join('<SECRET>'), line).replace(JWT, '<JWT>');
    leaks.push(`line ${index + 1}: ${hidden.slice(0, 200)}`);
  }
  // A multi-line secret (a PEM key) is not on one line.
  if (leaks.length === 0 && candidates.some((s) => s.includes('\n') && text.includes(s)))
    leaks.push('a multi-line secret (a private key)');
  return leaks;
}
