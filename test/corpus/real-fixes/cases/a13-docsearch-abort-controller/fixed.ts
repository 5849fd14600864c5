// tauri-apps/meilisearch-docsearch PR #209 "Optimize search requests with AbortController" (reduction, fixed)
import { MeiliSearch, type Hits } from 'meilisearch';

export class DocSearchModal {
  private client: MeiliSearch;
  private abortController: AbortController | null = null;
  hits: Hits = [];
  loading = false;
  error: string | null = null;

  constructor(host: string, apiKey: string, private indexUid: string) {
    this.client = new MeiliSearch({ host, apiKey });
  }

  async onInput(query: string) {
    this.abortController?.abort();
    const controller = new AbortController();
    this.abortController = controller;
    this.loading = true;
    try {
      const res = await this.client
        .index(this.indexUid)
        .search(query, { limit: 20 }, { signal: controller.signal });
      this.hits = res.hits;
      this.error = null;
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      this.error = (e as Error).message;
    } finally {
      if (this.abortController === controller) {
        this.loading = false;
        this.abortController = null;
      }
    }
  }

  dispose() {
    this.abortController?.abort();
  }
}
