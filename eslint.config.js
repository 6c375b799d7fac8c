import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      '.venv/',
      '.tap/',
      'coverage/',
      'mlruns/',
      'src/schemas/generated.ts',
      'tap-snapshots/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
      'no-regex-spaces': 'off',
      // control characters are matched on purpose (ANSI codes, refusing them in names)
      'no-control-regex': 'off',
    },
  },
  {
    // Small pieces: one job per file, functions a reader holds in their head.
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 500, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The core never touches the terminal: only src/commands and src/cli.ts may.
    files: [
      'src/config/**',
      'src/data/**',
      'src/model/**',
      'src/tracking/**',
      'src/serve/**',
      'src/verify/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['commander', 'chalk', 'ora', '@inquirer/prompts', 'cli-table3'] },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'bench/**', 'scripts/**', 'test/**'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
);
