// What ships: the package n8n installs must carry only the built nodes, and no runtime dependency.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_DIR } from './harness/n8n';

const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8'));

describe('the published package', () => {
	it('has no runtime dependencies and n8n-workflow as a peer', () => {
		expect(manifest.dependencies).toBeUndefined();
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.keywords).toContain('n8n-community-node-package');
	});

	it('points n8n at built nodes and credentials that exist', () => {
		expect(manifest.n8n.n8nNodesApiVersion).toBe(1);
		for (const path of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			expect(path).toMatch(/^dist\//);
			expect(existsSync(join(PACKAGE_DIR, path))).toBe(true);
		}
	});

	it('packs only dist/ beside the manifest, readme and licence: no tests, simulator or sources', () => {
		const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE_DIR, encoding: 'utf8' }));
		const files: string[] = pack.files.map((f: { path: string }) => f.path);
		expect(files.filter((f) => !f.startsWith('dist/')).sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
		expect(files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
		expect(files).toEqual(expect.arrayContaining(['dist/nodes/FaceSpace/facespace.svg', 'dist/nodes/FaceSpace/facespace.dark.svg', 'dist/nodes/FaceSpace/FaceSpace.node.json', 'dist/credentials/facespace.svg']));
	});
});
