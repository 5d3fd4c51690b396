import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

export class FaceSpaceApi implements ICredentialType {
	name = 'faceSpaceApi';

	displayName = 'FaceSpace API';

	icon: Icon = { light: 'file:facespace.svg', dark: 'file:facespace.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-facespace/n8n-nodes-facespace#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The key FaceSpace gave your account. It is sent as the x-api-key header to the Base URL only.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://visionapi.automa.one/facespace',
			placeholder: 'https://visionapi.automa.one/facespace',
			hint: 'Keep the default for the FaceSpace service. Change it for an older account (https://visioncore.automa.one/api), a proxy in front of FaceSpace, or a local simulator.',
			description: 'Where the FaceSpace API lives, including its path; a trailing slash is fine',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	// A snapshot and the "No cameras active" stop signal are both 200: both mean the key works.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/recognition',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'The API key was rejected (401): check the API Key of this FaceSpace credential' },
			},
			{
				type: 'responseCode',
				properties: { value: 403, message: 'The API key was rejected (403): check the API Key of this FaceSpace credential' },
			},
			{
				type: 'responseCode',
				properties: { value: 404, message: 'No FaceSpace API at this Base URL (404): check the Base URL, including its path' },
			},
		],
	};
}
