// boardgameio/boardgame.io PR #699 "Use Promise chaining to enforce read/write queue" (reduction,
// fixed): every node-persist read and write of the FlatFile store goes through one promise chain,
// so no two run at once on the same directory. (Cut down: see the suite's README.)
import storage from 'node-persist';

interface State { G: unknown; ctx: { turn: number } }
interface GameMetadata { gameName: string; players: Record<number, { name?: string }> }

export class FlatFile {
  private games = storage;
  private requests: Promise<unknown> = Promise.resolve();

  constructor(private dir: string) {}

  private async request<T>(action: () => Promise<T>): Promise<T> {
    this.requests = this.requests.then(action, action);
    return this.requests as Promise<T>;
  }

  async connect(): Promise<void> {
    await this.games.init({ dir: this.dir });
  }

  async createGame(gameID: string, initialState: State, metadata: GameMetadata): Promise<void> {
    await this.request(() => this.games.setItem(`${gameID}:initial`, initialState));
    await this.setState(gameID, initialState);
    await this.setMetadata(gameID, metadata);
  }

  async fetch(gameID: string): Promise<{ state: State; metadata: GameMetadata }> {
    const state = (await this.request(() => this.games.getItem(gameID))) as State;
    const metadata = (await this.request(() => this.games.getItem(`${gameID}:metadata`))) as GameMetadata;
    return { state, metadata };
  }

  async setState(id: string, state: State): Promise<void> {
    await this.request(() => this.games.setItem(id, state));
  }

  async setMetadata(id: string, metadata: GameMetadata): Promise<void> {
    await this.request(() => this.games.setItem(`${id}:metadata`, metadata));
  }
}
