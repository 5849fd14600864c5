// zazuko/kopflos PR #75 "calling init multiple time risks loading API multiple times" (reduction, fixed)
import type { DatasetCore } from '@rdfjs/types';
import { loadApi } from './loadApi';
import type { KopflosConfig } from './config';

export class Kopflos {
  private api: DatasetCore | undefined;
  private initPromise: Promise<DatasetCore> | undefined;

  constructor(private readonly config: KopflosConfig) {}

  init(): Promise<DatasetCore> {
    this.initPromise ??= loadApi(this.config).then((dataset) => {
      this.api = dataset;
      return dataset;
    });
    return this.initPromise;
  }

  async handleRequest(iri: string) {
    const api = await this.init();
    const match = [...api.match(null, null, null)].find((q) => q.subject.value === iri);
    return match ? { status: 200, body: match.object.value } : { status: 404 };
  }
}
