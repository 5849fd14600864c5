// zazuko/kopflos before PR #75 (buggy twin)
import type { DatasetCore } from '@rdfjs/types';
import { loadApi } from './loadApi';
import type { KopflosConfig } from './config';

export class Kopflos {
  private api: DatasetCore | undefined;

  constructor(private readonly config: KopflosConfig) {}

  async init(): Promise<DatasetCore> {
    if (!this.api) {
      this.api = await loadApi(this.config);
//    ^ check-then-act
    }
    return this.api;
  }

  async handleRequest(iri: string) {
    const api = await this.init();
    return [...api.match(null, null, null)].some((q) => q.subject.value === iri) ? 200 : 404;
  }
}
