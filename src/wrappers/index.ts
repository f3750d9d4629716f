/** @module flagon/wrappers: Request and Response over TSGI, and file responses. Re-exports only. */
export { Request } from './request.js';
export { RequestHeaderProperties } from './request-headers.js';
export type { RequestOptions } from './request.js';
export { Response } from './response.js';
export { ResponseHeaderProperties } from './response-headers.js';
export type { ConditionalOptions, ResponseBody, ResponseInit } from './response.js';
export { contentDisposition, sendFile, sendFromDirectory } from './send-file.js';
export type { SendFileOptions, SendFromDirectoryOptions } from './send-file.js';
export { readBody } from './body.js';
export { FileStorage, parseMultipart, streamMultipart } from './multipart.js';
export type { MultipartLimits, MultipartPart, ParsedMultipart } from './multipart.js';
