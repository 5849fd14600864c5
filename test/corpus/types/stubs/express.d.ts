// Stub of the small part of express the corpus uses.
export interface Request {
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: any;
  ip: string;
  user?: { id: string };
}

export interface Response {
  status(code: number): Response;
  json(body: unknown): Response;
  send(body?: unknown): Response;
  end(): void;
}

export type NextFunction = (err?: unknown) => void;
export type Handler = (req: Request, res: Response, next: NextFunction) => unknown;

export interface Application {
  get(path: string, ...handlers: Handler[]): Application;
  post(path: string, ...handlers: Handler[]): Application;
  patch(path: string, ...handlers: Handler[]): Application;
  put(path: string, ...handlers: Handler[]): Application;
  use(...handlers: Handler[]): Application;
  listen(port: number): unknown;
}

declare function express(): Application;
export default express;
