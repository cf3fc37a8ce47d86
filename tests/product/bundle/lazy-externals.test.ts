import { describe, expect, it } from 'vitest';
import { importedNames } from '../../../infra/src/bundle/lazy-externals';

describe('importedNames (which getters a lazy external module needs)', () => {
  it.each([
    ["import { A, type B, C as D } from '@aws-sdk/x';", ['A', 'C']],
    ["import {\n  A,\n  B,\n} from \"@aws-sdk/x\";\nimport { E } from '@aws-sdk/x';", ['A', 'B', 'E']],
    ["import type { T } from '@aws-sdk/x';\nimport { A } from '@aws-sdk/x';", ['A']],
    ["import { A } from '@aws-sdk/xy';", undefined],
    ["import * as X from '@aws-sdk/x';", undefined],
    ["import X from '@aws-sdk/x';", undefined],
    ["import X, { A } from '@aws-sdk/x';", undefined],
  ] as const)('%j', (source, names) => {
    expect(importedNames(source, '@aws-sdk/x')).toEqual(names);
  });
});
