// confluentinc/vscode issue #534, PR #646 (buggy twin): the ResourceManager singleton merges into
// maps kept under workspace-state keys. Each method reads the whole map through a getter method
// of its own (which asks the StorageManager it holds), changes entries and writes the map back
// after the await; two concurrent calls for the same key both read the old map and the last write drops
// the other's entry.
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
  private constructor(private storage: StorageManager) {}

  static getInstance(): ResourceManager {
    if (!ResourceManager.instance) {
      ResourceManager.instance = new ResourceManager(getStorageManager());
    }
    return ResourceManager.instance;
  }

  async setCCloudKafkaClusters(clusters: CCloudKafkaCluster[]): Promise<void> {
    const existingEnvClusters: CCloudKafkaClustersByEnv = (await this.getCCloudKafkaClusters()) ?? new Map();
    const newClustersByEnv: CCloudKafkaClustersByEnv = new Map();
    clusters.forEach((cluster) => {
      if (!newClustersByEnv.has(cluster.environmentId)) newClustersByEnv.set(cluster.environmentId, []);
      newClustersByEnv.get(cluster.environmentId)?.push(cluster);
    });
    for (const [envId, newClusters] of newClustersByEnv) {
      existingEnvClusters.set(envId, newClusters);
    }
    await this.storage.setWorkspaceState(WorkspaceStorageKeys.CCLOUD_KAFKA_CLUSTERS, existingEnvClusters);
//        ^ lost-update
  }

  async getCCloudKafkaClusters(): Promise<CCloudKafkaClustersByEnv> {
    const plainJsonClustersByEnv: CCloudKafkaClustersByEnv =
      (await this.storage.getWorkspaceState<CCloudKafkaClustersByEnv>(WorkspaceStorageKeys.CCLOUD_KAFKA_CLUSTERS)) ??
      new Map<string, CCloudKafkaCluster[]>();
    return new Map(Array.from(plainJsonClustersByEnv).map(([envId, clusters]) => [envId, clusters.map((c) => ({ ...c }))]));
  }

  async deleteCCloudKafkaClusters(environment?: string): Promise<void> {
    if (!environment) {
      return await this.storage.deleteWorkspaceState(WorkspaceStorageKeys.CCLOUD_KAFKA_CLUSTERS);
    }
    const clusters = await this.getCCloudKafkaClusters();
    clusters.delete(environment);
    await this.storage.setWorkspaceState(WorkspaceStorageKeys.CCLOUD_KAFKA_CLUSTERS, clusters);
//        ^ lost-update
  }
}
