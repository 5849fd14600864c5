// Fix (the PR): keep the in-flight connection as a promise; concurrent callers await the same
// connect, and a failed connect is cleared so the next call retries.
interface Transport {
  close(): Promise<void>;
}
interface McpClient {
  connect(transport: Transport): Promise<void>;
  callTool(req: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
}

declare function createTransport(url: string): Transport;

export class StitchToolClient {
  private connectPromise: Promise<void> | undefined;

  constructor(
    private readonly client: McpClient,
    private readonly url: string,
  ) {}

  private ensureConnected(): Promise<void> {
    if (!this.connectPromise) {
      this.connectPromise = this.client.connect(createTransport(this.url)).catch((err: unknown) => {
        this.connectPromise = undefined;
        throw err;
      });
    }
    return this.connectPromise;
  }

  async callTool(name: string, args: Record<string, unknown>): Promise<unknown> {
    await this.ensureConnected();
    return this.client.callTool({ name, arguments: args });
  }
}
