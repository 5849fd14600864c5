// pinecone-io/pinecone-mcp PR #24 as first written (buggy twin): the docs client is stored before
// it has connected, so a second search-docs call made meanwhile finds it and calls a tool on a
// client whose connect() has not finished (or failed).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const DOCS_MCP_URL = 'https://docs.pinecone.io/mcp';
const PINECONE_MCP_VERSION = '0.1.0';

const INSTRUCTIONS = 'Search Pinecone documentation for relevant information';

const SCHEMA = {
  query: z.string().describe('The text to search for.'),
};

type SearchDocsResult = {
  content: { type: 'text'; text: string }[];
};

let docsClient: Client | null = null;

async function getDocsClient(): Promise<Client> {
  if (!docsClient) {
    const httpTransport = new StreamableHTTPClientTransport(new URL(DOCS_MCP_URL));
    docsClient = new Client({
      name: 'pinecone-docs',
      version: PINECONE_MCP_VERSION,
    });
    await docsClient.connect(httpTransport);
  }
  return docsClient;
//       ^ check-then-act
}

export function addSearchDocsTool(server: McpServer) {
  server.tool('search-docs', INSTRUCTIONS, SCHEMA, async ({ query }: { query: string }) => {
    const client = await getDocsClient();

    return (await client.callTool({
//                ^ check-then-act
      name: 'get_context',
      arguments: { query },
    })) as SearchDocsResult;
  });
}

// For testing: reset the cached client
export function resetDocsClient() {
  docsClient = null;
}
