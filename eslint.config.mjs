import js from '@eslint/js';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.cache/**'] },
	{ files: ['**/*.{js,mjs,ts}'], ...js.configs.recommended },
	...tseslint.configs.recommended.map((config) => ({ files: ['**/*.{js,mjs,ts}'], ...config })),
	// the community rules read package.json as an object expression
	{ files: ['package.json'], languageOptions: { parser: tseslint.parser } },
	{
		// the n8n Cloud profile for what ships: node and credential code
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'index.ts', 'package.json'],
		...communityNodes.configs.recommended,
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'index.ts'],
		rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
	},
	{
		// tests, the simulator, benchmarks and scripts run on Node with its APIs
		files: ['test/**/*.ts', 'bench/**/*.{js,ts}', 'simulator/**/*.js', 'scripts/**/*.js', '*.js'],
		languageOptions: {
			globals: { process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', AbortSignal: 'readonly', AbortController: 'readonly', fetch: 'readonly', performance: 'readonly', global: 'readonly', exports: 'writable' },
		},
		rules: {
			'@typescript-eslint/no-require-imports': 'off',
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
);
