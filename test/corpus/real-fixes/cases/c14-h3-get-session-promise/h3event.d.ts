// The H3Event of h3js/h3 (src/event), as the session utilities use it.
export interface H3Event {
  context: { sessions?: Record<string, { id: string; createdAt: number; data: Record<string, any> }> } & Record<string, any>;
  node: { req: { headers: Record<string, string | string[] | undefined> } };
}
export declare function getCookie(event: H3Event, name: string): string | undefined;
export declare function setCookie(event: H3Event, name: string, value: string): void;
