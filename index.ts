export { FaceSpaceApi } from './credentials/FaceSpaceApi.credentials';
export { FaceSpace } from './nodes/FaceSpace/FaceSpace.node';
export { FaceSpaceTrigger } from './nodes/FaceSpace/FaceSpaceTrigger.node';
