// Runs workflows through n8n-core's real engine with this package loaded from dist/ the way n8n loads it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PackageDirectoryLoader,
	RoutingNode,
	TriggerContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	ICredentials,
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteData,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type ITriggerFunctions,
	type ITriggerResponse,
	type IWorkflowExecuteAdditionalData,
	type IVersionedNodeType,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

/** The package folder: found upwards, so the demo's compiled copy of this file finds it too. */
export const PACKAGE_DIR = (() => {
	for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
		const manifest = join(dir, 'package.json');
		if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'n8n-nodes-facespace') return dir;
	}
	throw new Error('n8n-nodes-facespace package.json not found');
})();
export const PACKAGE = 'n8n-nodes-facespace';
export const ACTION = `${PACKAGE}.faceSpace`;
export const TRIGGER = `${PACKAGE}.faceSpaceTrigger`;

let loaded: Promise<PackageDirectoryLoader> | undefined;

/** The package as n8n loads a community package: package.json's n8n section, files under dist/. */
export function loadPackage(): Promise<PackageDirectoryLoader> {
	loaded ??= (async () => {
		const loader = new PackageDirectoryLoader(PACKAGE_DIR);
		await loader.loadAll();
		return loader;
	})();
	return loaded;
}

export async function nodeTypes(): Promise<INodeTypes> {
	const loader = await loadPackage();
	const byName = (type: string) => {
		const short = type.startsWith(`${PACKAGE}.`) ? type.slice(PACKAGE.length + 1) : type;
		const data = loader.nodeTypes[short];
		if (!data) throw new Error(`unknown node type ${type}`);
		return data.type as INodeType | IVersionedNodeType;
	};
	return {
		getByName: byName,
		getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(byName(type), version),
		getKnownTypes: () => ({}),
	};
}

export async function credentialType(name: string): Promise<ICredentialType> {
	const loader = await loadPackage();
	return loader.credentialTypes[name].type;
}

class TestCredentials extends ICredentials {
	constructor(
		details: INodeCredentialsDetails,
		type: string,
		private values: ICredentialDataDecryptedObject,
	) {
		super(details, type);
	}
	getData() {
		return this.values;
	}
	getDataToSave() {
		return { id: this.id, name: this.name, type: this.type, data: '' };
	}
	setData(values: ICredentialDataDecryptedObject) {
		this.values = values;
	}
}

/**
 * Resolves credentials from a plain map and applies a credential type's generic `authenticate`
 * the way n8n's server does: each header/qs/body/auth entry is an expression over $credentials.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const type = await credentialType(typeName);
		const auth = type.authenticate;
		if (typeof auth !== 'object' || auth.type !== 'generic') return requestOptions;
		const resolve = (value: unknown) =>
			typeof value === 'string' && value.startsWith('=')
				? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '')
				: value;
		const options = { ...requestOptions } as unknown as Record<string, Record<string, unknown>>;
		for (const [outer, entries] of Object.entries(auth.properties)) {
			options[outer] = { ...(options[outer] ?? {}) };
			for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
				options[outer][String(resolve(key))] = resolve(value);
			}
		}
		return options as unknown as IHttpRequestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async getCredentials(details: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return new TestCredentials(details, type, this.store[type]);
	}

	async getDecrypted(_additionalData: IWorkflowExecuteAdditionalData, _details: INodeCredentialsDetails, type: string) {
		const data = this.store[type];
		if (!data) throw new Error(`no test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}

export interface Credentials {
	apiKey: string;
	baseUrl: string;
}

export function additionalData(credentials: Credentials, mode: WorkflowExecuteMode = 'manual'): IWorkflowExecuteAdditionalData {
	const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', { id: 'wf', name: 'test', nodes: [], connections: {}, active: false } as never);
	return {
		hooks,
		executionId: 'test-execution',
		currentNodeExecutionIndex: 0,
		variables: {},
		credentialsHelper: new TestCredentialsHelper({ faceSpaceApi: { ...credentials } }),
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
	} as unknown as IWorkflowExecuteAdditionalData;
}

export function node(type: string, parameters: IDataObject, name = 'FaceSpace', extra: Partial<INode> = {}): INode {
	return {
		id: name,
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { faceSpaceApi: { id: 'cred', name: 'FaceSpace account' } },
		...extra,
	};
}

export async function workflowOf(nodes: INode[], settings: IDataObject = {}, staticData: IDataObject = {}): Promise<Workflow> {
	return new Workflow({
		id: 'wf',
		name: 'test',
		nodes,
		connections: {},
		active: false,
		nodeTypes: await nodeTypes(),
		settings,
		staticData,
	});
}

export interface ActionResult {
	items: INodeExecutionData[];
	error?: Error & { description?: string; context?: IDataObject };
	run: IRun;
}

/** Run the action node on the given input items through WorkflowExecute, as n8n runs a node mid-workflow. */
export async function runAction(
	parameters: IDataObject,
	credentials: Credentials,
	input: IDataObject[] = [{}],
	options: { settings?: IDataObject; nodeExtra?: Partial<INode> } = {},
): Promise<ActionResult> {
	const actionNode = node(ACTION, parameters, 'FaceSpace', options.nodeExtra);
	const workflow = await workflowOf([actionNode], options.settings);
	const runExecutionData: IRunExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			nodeExecutionStack: [{ node: actionNode, data: { main: [input.map((json) => ({ json }))] }, source: null }],
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;
	const run = await new WorkflowExecute(additionalData(credentials), 'manual', runExecutionData).processRunExecutionData(workflow);
	const task = run.data.resultData.runData.FaceSpace?.[0];
	const error = (run.data.resultData.error ?? task?.error) as ActionResult['error'];
	return { items: task?.data?.main?.[0] ?? [], error, run };
}

/**
 * Test a credential the way n8n's credential tester does: its `test.request` run by n8n-core's
 * RoutingNode with the credential applied, then the tester's rules for failed requests.
 */
export async function testCredential(credentials: Credentials): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const type = await credentialType('faceSpaceApi');
	const test = type.test;
	if (!test) throw new Error('the credential has no test');
	const tempNode: INode = node('temp.credentialTest', {}, 'Temp-Node');
	const nodeTypeCopy = {
		description: {
			displayName: 'Temp',
			name: 'temp.credentialTest',
			group: [],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'faceSpaceApi', required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' }],
		},
	} as unknown as INodeType;
	const workflow = new Workflow({
		nodes: [tempNode],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => nodeTypeCopy,
			getByNameAndVersion: () => nodeTypeCopy,
			getKnownTypes: () => ({}),
		},
	});
	const runExecutionData = { resultData: { runData: {} } } as IRunExecutionData;
	const executeData: IExecuteData = { node: tempNode, data: {}, source: null };
	const context = new ExecuteContext(workflow, tempNode, additionalData(credentials, 'internal'), 'internal', runExecutionData, 0, [], { main: [[{ json: {} }]] }, executeData, []);
	const routingNode = new RoutingNode(context, nodeTypeCopy, { id: 'cred', name: 'FaceSpace account', type: 'faceSpaceApi', data: { ...credentials } });
	try {
		await routingNode.runNode();
	} catch (error) {
		const e = error as { cause?: { response?: { status: number; statusText?: string }; code?: string }; message: string };
		if (e.cause?.response) {
			const status = e.cause.response.status;
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === status) return { status: 'Error', message: rule.properties.message };
			}
			return { status: 'Error', message: e.cause.response.statusText || `Received HTTP status code: ${status}` };
		}
		if (e.cause?.code) return { status: 'Error', message: e.cause.code };
		return { status: 'Error', message: e.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

export interface RunningTrigger {
	response: ITriggerResponse;
	emitted: INodeExecutionData[][][];
	errors: Error[];
	staticData: IDataObject;
	context: ITriggerFunctions;
	close: () => Promise<void>;
}

/** Activate the trigger as n8n's active-workflow manager does: a TriggerContext in trigger mode, emits collected. */
export async function activateTrigger(
	parameters: IDataObject,
	credentials: Credentials,
	options: {
		staticData?: IDataObject;
		mode?: WorkflowExecuteMode;
		settings?: IDataObject;
		onEmit?: (data: INodeExecutionData[][]) => void;
		/** see the node's log lines (n8n's own logger is silent in tests) */
		onLog?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
	} = {},
): Promise<RunningTrigger> {
	const staticData = options.staticData ?? {};
	const triggerNode = node(TRIGGER, parameters, 'FaceSpace Trigger');
	const workflow = await workflowOf([triggerNode], options.settings, staticData);
	const emitted: INodeExecutionData[][][] = [];
	const errors: Error[] = [];
	const mode = options.mode ?? 'trigger';
	const context = new TriggerContext(
		workflow,
		triggerNode,
		additionalData(credentials, mode),
		mode,
		'activate',
		(data) => {
			emitted.push(data);
			options.onEmit?.(data);
		},
		(error) => {
			errors.push(error);
		},
	);
	const { onLog } = options;
	if (onLog) {
		const log = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string) => onLog(level, message);
		Object.defineProperty(context, 'logger', { value: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } });
	}
	const type = workflow.nodeTypes.getByNameAndVersion(TRIGGER, 1) as INodeType;
	if (!type.trigger) throw new Error('the trigger node has no trigger()');
	const response = (await type.trigger.call(context)) ?? {};
	let closed = false;
	return {
		response,
		emitted,
		errors,
		staticData: workflow.staticData as IDataObject,
		context,
		close: async () => {
			if (closed) return;
			closed = true;
			await response.closeFunction?.();
		},
	};
}

/** The node's static data as n8n keeps it: keyed by node, saved on emit. */
export function nodeStaticData(trigger: RunningTrigger): IDataObject {
	return (trigger.staticData[`node:FaceSpace Trigger`] ?? {}) as IDataObject;
}

/** n8n-core's SSH client manager keeps a 60 s interval that holds jest open; stop it after the tests. */
export function stopCoreTimers(): void {
	try {
		const { Container } = require('@n8n/di') as typeof import('@n8n/di');
		const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager') as {
			SSHClientsManager: new () => { onShutdown(): void };
		};
		Container.get(SSHClientsManager).onShutdown();
	} catch {
		// nothing to stop when no trigger context was made
	}
}

/** A real n8n-core trigger context around a FaceSpace node: what the transport gets from either node. */
export async function nodeContext(credentials: Credentials): Promise<ITriggerFunctions> {
	const contextNode = node(ACTION, {}, 'FaceSpace');
	const workflow = await workflowOf([contextNode]);
	return new TriggerContext(workflow, contextNode, additionalData(credentials, 'trigger'), 'trigger', 'activate');
}

/** Call one of the action node's list searches the way the editor does, through a LoadOptionsContext. */
export async function listSearch(method: string, credentials: Credentials, filter?: string) {
	const contextNode = node(ACTION, { resource: 'sighting', operation: 'getAll' }, 'FaceSpace');
	const workflow = await workflowOf([contextNode]);
	const context = new LoadOptionsContext(workflow, contextNode, additionalData(credentials, 'internal'), 'camera');
	const type = workflow.nodeTypes.getByNameAndVersion(ACTION, 1) as INodeType;
	const search = type.methods?.listSearch?.[method];
	if (!search) throw new Error(`no list search ${method}`);
	return await search.call(context, filter);
}
