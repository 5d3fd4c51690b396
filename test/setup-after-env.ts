import { stopCoreTimers } from './harness/n8n';

// n8n-core's contexts start a 60 s SSH-client sweep that would hold jest open
afterAll(stopCoreTimers);
