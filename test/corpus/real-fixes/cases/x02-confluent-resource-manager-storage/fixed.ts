// confluentinc/vscode PR #646 (fixed): one async-mutex Mutex per workspace-state key; every method
// that reads a key's map and writes it back runs the read, the change and the write inside
// runWithMutex(key, ...), so concurrent callers for the same key take turns.
import { Mutex } from 'async-mutex';
import { StorageManager, getStorageManager } from './storage.js';

enum WorkspaceStorageKeys {
  CCLOUD_KAFKA_CLUSTERS = 'ccloudKafkaClusters',
}

interface CCloudKafkaCluster {
  id: string;
  environmentId: string;
}
type CCloudKafkaClustersByEnv = Map<string, CCloudKafkaCluster[]>;

export class ResourceManager {
  static instance: ResourceManager | null = null;

  private mutexes: Map<WorkspaceStorageKeys, Mutex> = new Map();

  private constructor(private storage: StorageManager) {
    for (const key of Object.values(WorkspaceStorageKeys)) {
      this.mutexes.set(key, new Mutex());
    }
  }

  static getInstance(): ResourceManager {
    if (!ResourceManager.instance) {
      ResourceManager.instance = new ResourceManager(getStorageManager());
    }
    return ResourceManager.instance;
  }

  private async runWithMutex<T>(key: WorkspaceStorageKeys, callback: () => Promise<T>): Promise<T> {
    const mutex = this.mutexes.get(key);
    if (!mutex) throw new Error(`No mutex found for key: ${key}`);
    return await mutex.runExclusive(callback);
  }

  async setCCloudKafkaClusters(clusters: CCloudKafkaCluster[]): Promise<void> {
    const storageKey = WorkspaceStorageKeys.CCLOUD_KAFKA_CLUSTERS;
    await this.runWithMutex(storageKey, async () => {
      const existingEnvClusters: CCloudKafkaClustersByEnv = (await this.getCCloudKafkaClusters()) ?? new Map();
      const newClustersByEnv: CCloudKafkaClustersByEnv = new Map();
      clusters.forEach((cluster) => {
        if (!newClustersByEnv.has(cluster.environmentId)) newClustersByEnv.set(cluster.environmentId, []);
        newClustersByEnv.get(cluster.environmentId)?.push(cluster);
      });
      for (const [envId, newClusters] of newClustersByEnv) {
        existingEnvClusters.set(envId, newClusters);
      }
      await this.storage.setWorkspaceState(storageKey, existingEnvClusters);
    });
  }

  async getCCloudKafkaClusters(): Promise<CCloudKafkaClustersByEnv> {
    const plainJsonClustersByEnv: CCloudKafkaClustersByEnv =
      (await this.storage.getWorkspaceState<CCloudKafkaClustersByEnv>(WorkspaceStorageKeys.CCLOUD_KAFKA_CLUSTERS)) ??
      new Map<string, CCloudKafkaCluster[]>();
    return new Map(Array.from(plainJsonClustersByEnv).map(([envId, clusters]) => [envId, clusters.map((c) => ({ ...c }))]));
  }

  async deleteCCloudKafkaClusters(environment?: string): Promise<void> {
    const storageKey = WorkspaceStorageKeys.CCLOUD_KAFKA_CLUSTERS;
    await this.runWithMutex(storageKey, async () => {
      if (!environment) {
        return await this.storage.deleteWorkspaceState(storageKey);
      }
      const clusters = await this.getCCloudKafkaClusters();
      clusters.delete(environment);
      await this.storage.setWorkspaceState(storageKey, clusters);
    });
  }
}
