import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as api from '../src';
import { FanoutTopic, PropsValidationErrors } from '../src';

describe('public API', () => {
  test('exports what users receive: a way to recognise the props error, HandlerFunction and the alarm base', () => {
    expect(typeof api.HandlerFunction).toBe('function');
    expect(typeof api.AlarmedConstruct).toBe('function');
    let thrown: unknown;
    try {
      new FanoutTopic(new Stack(new App(), 'Stack'), 'Events', { deadLetterRetentionPeriod: Duration.seconds(1) });
    } catch (e) {
      thrown = e;
    }
    expect(PropsValidationErrors.isPropsValidationError(thrown)).toBe(true);
    expect(PropsValidationErrors.problemsOf(thrown)).toEqual(['deadLetterRetentionPeriod must be between 1 minute and 14 days, got 1 second']);
    expect(PropsValidationErrors.isPropsValidationError(new Error('other'))).toBe(false);
    expect(PropsValidationErrors.problemsOf(new Error('other'))).toEqual([]);
  });

  test('hides internals: no constants, helpers or settings contracts leak through the entry point', () => {
    const leaked = Object.keys(api).filter((name) => /^[A-Z0-9_]+$/.test(name) || /^(create|validate|parse|acknowledge|with)/.test(name));
    expect(leaked).toEqual([]);
    expect(Object.keys(api)).not.toContain('PROXY_PORT');
    expect(Object.keys(api)).not.toContain('ConstructAlarms');
  });
});

/** Every .ts file below `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sources(file) : file.endsWith('.ts') ? [file] : [];
  });
}

describe('labs use the package entry point only', () => {
  const examples = path.join(__dirname, '..', 'examples');
  const files = sources(examples);

  test.each(files.map((f) => [path.relative(examples, f), f]))('%s imports nothing from src/ but its index', (_name, file) => {
    const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    const internal = imports.filter((spec) => spec.startsWith('.') && /(^|\/)src\/./.test(path.relative(path.join(__dirname, '..'), path.resolve(path.dirname(file), spec))));
    expect(internal).toEqual([]);
  });
});
