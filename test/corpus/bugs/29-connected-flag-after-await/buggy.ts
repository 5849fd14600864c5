// google-labs-code/stitch-sdk PR #106: callTool() connected the MCP client when `isConnected` was
// false and set the flag after connect() resolved; concurrent callTool() calls all saw false and
// connected the same client several times.
interface Transport {
  close(): Promise<void>;
}
interface McpClient {
  connect(transport: Transport): Promise<void>;
  callTool(req: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
}

declare function createTransport(url: string): Transport;

export class StitchToolClient {
  private isConnected = false;

  constructor(
    private readonly client: McpClient,
    private readonly url: string,
  ) {}

  async callTool(name: string, args: Record<string, unknown>): Promise<unknown> {
    if (!this.isConnected) {
      await this.client.connect(createTransport(this.url));
      this.isConnected = true;
//    ^ check-then-act
    }
    return this.client.callTool({ name, arguments: args });
  }
}
