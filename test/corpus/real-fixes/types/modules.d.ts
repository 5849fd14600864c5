// Libraries the real-fix cases import, declared as `any`: the catalogue was first scored with
// every import unresolved (no node_modules in reach), so these keep the conditions it was scored
// under while letting the suite type-check. Named exports are both a value and a type.
// `~/server/...` are the civitai case's own modules, reached through its path alias.
declare module '@google-cloud/storage' {
  const moduleValue: any;
  export default moduleValue;
  export const Storage: any;
  export type Storage = any;
}
declare module '@prisma/client' {
  const moduleValue: any;
  export default moduleValue;
  export const PrismaClient: any;
  export type PrismaClient = any;
}
declare module '@rdfjs/types' {
  const moduleValue: any;
  export default moduleValue;
  export const DatasetCore: any;
  export type DatasetCore = any;
}
declare module 'drizzle-orm' {
  const moduleValue: any;
  export default moduleValue;
  export const and: any;
  export type and = any;
  export const eq: any;
  export type eq = any;
  export const gte: any;
  export type gte = any;
  export const sql: any;
  export type sql = any;
}
declare module 'expo-secure-store' {
  const moduleValue: any;
  export default moduleValue;
  export const getItemAsync: any;
  export type getItemAsync = any;
  export const setItemAsync: any;
  export type setItemAsync = any;
  export const deleteItemAsync: any;
  export type deleteItemAsync = any;
}
declare module 'express-session' {
  const moduleValue: any;
  export default moduleValue;
  export const SessionData: any;
  export type SessionData = any;
  export const Store: any;
  export type Store = any;
}
declare module 'meilisearch' {
  const moduleValue: any;
  export default moduleValue;
  export const MeiliSearch: any;
  export type MeiliSearch = any;
  export const Hits: any;
  export type Hits = any;
}
declare module 'meteor/meteor' {
  const moduleValue: any;
  export default moduleValue;
  export const Meteor: any;
  export type Meteor = any;
}
declare module 'next' {
  const moduleValue: any;
  export default moduleValue;
  export const NextApiRequest: any;
  export type NextApiRequest = any;
  export const NextApiResponse: any;
  export type NextApiResponse = any;
}
declare module 'tsyringe' {
  const moduleValue: any;
  export default moduleValue;
  export const DependencyContainer: any;
  export type DependencyContainer = any;
}
declare module 'ulid' {
  const moduleValue: any;
  export default moduleValue;
  export const monotonicFactory: any;
  export type monotonicFactory = any;
}
declare module 'yaml' {
  const moduleValue: any;
  export default moduleValue;
}
declare module 'zustand/middleware' {
  const moduleValue: any;
  export default moduleValue;
  export const persist: any;
  export type persist = any;
}
declare module '~/server/jobs' {
  const moduleValue: any;
  export default moduleValue;
  export const jobs: any;
  export type jobs = any;
}
declare module '~/server/redis/client' {
  const moduleValue: any;
  export default moduleValue;
  export const sysRedis: any;
  export type sysRedis = any;
}
declare module 'lodash' {
  const moduleValue: any;
  type moduleValue = any;
  export = moduleValue;
}
declare module 'q' {
  const moduleValue: any;
  type moduleValue = any;
  export = moduleValue;
}
declare module 'redis' {
  const moduleValue: any;
  type moduleValue = any;
  export = moduleValue;
}
declare module 'knex' {
  const moduleValue: any;
  type moduleValue = any;
  namespace moduleValue {
    type Knex = any;
  }
  export = moduleValue;
}
declare module 'socket.io' {
  const moduleValue: any;
  type moduleValue = any;
  export = moduleValue;
}
declare module 'write-file-atomic' {
  const moduleValue: any;
  type moduleValue = any;
  export = moduleValue;
}
declare module 'mz/fs' {
  const moduleValue: any;
  type moduleValue = any;
  export = moduleValue;
}
declare module 'lockfile' {
  const moduleValue: any;
  type moduleValue = any;
  export = moduleValue;
}
declare module 'electron' {
  export const app: any;
  export const ipcMain: any;
}
declare module 'express' {
  const moduleValue: any;
  type moduleValue = any;
  namespace moduleValue {
    type Request = any;
    type Response = any;
  }
  export = moduleValue;
}
declare module 'p-queue' {
  const moduleValue: any;
  type moduleValue = any;
  export = moduleValue;
}
declare module 'ioredis' {
  const moduleValue: any;
  type moduleValue = any;
  namespace moduleValue {
    type Redis = any;
  }
  export = moduleValue;
}
declare module '@sesamecare-oss/redlock' {
  const moduleValue: any;
  type moduleValue = any;
  namespace moduleValue {
    type Lock = any;
  }
  export = moduleValue;
}
// The generic calls the cases make (useState<T>(), axios.post<T>(), create<T>()(...)) need signatures.
declare module 'react' {
  export function useState<S>(initial: S | (() => S)): [S, (next: S | ((prev: S) => S)) => void];
  export function useRef<T>(initial: T): { current: T };
  export function useCallback<T>(fn: T, deps: unknown[]): T;
  export function useEffect(effect: () => void | (() => void), deps?: unknown[]): void;
}
declare module 'axios' {
  const axios: {
    create(config: any): any;
    post<T = any>(url: string, body?: any, config?: any): Promise<{ data: T }>;
    [method: string]: any;
  };
  export default axios;
  export type AxiosError = any;
  export type AxiosRequestConfig = any;
  export type AxiosInstance = any;
}
declare module 'zustand' {
  export function create<T>(): (init: any) => any;
}
declare module 'typeorm' {
  export type Repository<T = any> = any;
}
declare module 'node-persist' {
  const storage: any;
  export default storage;
}
declare module 'async' {
  const moduleValue: any;
  export = moduleValue;
}
declare module 'mongoose' {
  const moduleValue: any;
  export = moduleValue;
}
declare module 'mongoose-update-if-current' {
  export const updateIfCurrentPlugin: any;
}
// Modules of the check-then-act catalogue (c01-c16, eleventh session).
declare module 'await-semaphore' {
  export class Mutex {
    acquire(): Promise<() => void>;
  }
}
declare module 'elysia' {
  export const Elysia: any;
  export const t: any;
}
declare module '@modelcontextprotocol/sdk/client/index.js' {
  export class Client {
    constructor(info: { name: string; version: string });
    connect(transport: unknown): Promise<void>;
    callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
  }
}
declare module '@modelcontextprotocol/sdk/client/streamableHttp.js' {
  export class StreamableHTTPClientTransport {
    constructor(url: URL);
  }
}
declare module '@modelcontextprotocol/sdk/server/mcp.js' {
  export type McpServer = any;
}
declare module 'zod' {
  export const z: any;
}
declare module 'mongodb' {
  const moduleValue: any;
  export default moduleValue;
}
declare module 'chrome-promise' {
  const moduleValue: any;
  export default moduleValue;
}
declare module 'rrweb' {
  const moduleValue: any;
  export default moduleValue;
  export const record: any;
  export type record = any;
}
declare module 'h3' {
  const moduleValue: any;
  export default moduleValue;
  export const defineEventHandler: any;
  export type defineEventHandler = any;
  export const getRequestURL: any;
  export type getRequestURL = any;
}
declare module 'nitropack/runtime' {
  const moduleValue: any;
  export default moduleValue;
  export const useStorage: any;
  export type useStorage = any;
  export const useDatabase: any;
  export type useDatabase = any;
}
declare module 'vue' {
  const moduleValue: any;
  export default moduleValue;
  export type Ref<T = any> = { value: T };
  export function ref<T>(value: T): Ref<T>;
  export function shallowRef<T>(value: T): Ref<T>;
}
declare module 'async-mutex' {
  const moduleValue: any;
  export default moduleValue;
  export const Mutex: any;
  export type Mutex = any;
}
declare module 'proper-lockfile' {
  const moduleValue: any;
  export default moduleValue;
  export const lock: any;
}
