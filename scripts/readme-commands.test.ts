import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (p: string) => readFileSync(new URL(`../${p}`, import.meta.url), 'utf8');

/** The README's set-up section holds exactly two commands: start the console, run every test. */
function setupCommands(readme: string): string[] {
  const section = readme.split(/^## Set up$/m)[1]!.split(/^## /m)[0]!;
  return [...section.matchAll(/```sh\n([^`]+?)\n```/g)].map((m) => m[1]!.trim());
}

describe('README set-up commands', () => {
  const commands = setupCommands(read('README.md'));

  it('are exactly two', () => {
    expect(commands).toHaveLength(2);
  });

  it('the test command is what CI runs', () => {
    const ci = read('.ci/run').split('\n').filter((l) => l.trim() && !l.startsWith('#') && !l.startsWith('set ') && !l.startsWith('cd '));
    expect(ci).toEqual([commands[1]]);
  });

  it('name npm scripts that exist', () => {
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    for (const cmd of commands) {
      for (const [, name] of cmd.matchAll(/npm (?:run -s |run )?(start|test|[\w:-]+)/g)) {
        if (name === 'ci') continue;
        expect(Object.keys(scripts)).toContain(name);
      }
    }
  });
});
