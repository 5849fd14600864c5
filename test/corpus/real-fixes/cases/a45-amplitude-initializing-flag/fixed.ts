// amplitude/Amplitude-TypeScript PR #191 "fix: prevent concurrent init calls" (reduction, fixed):
// init() returns early while another init of the same instance is pending; the flag is set
// before the first await and cleared once the plugins are installed.
interface BrowserConfig { apiKey: string; userId?: string; deviceId?: string }
interface Plugin { name: string; setup(config: BrowserConfig): Promise<void> }

declare function useBrowserConfig(apiKey: string, userId?: string): Promise<BrowserConfig>;
declare function readCookieStorage(key: string): Promise<{ deviceId?: string; userId?: string } | undefined>;

export class AmplitudeBrowser {
  protected initializing = false;
  config?: BrowserConfig;
  private plugins: Plugin[] = [];
  private timeline: string[] = [];

  async init(apiKey: string, userId?: string): Promise<void> {
    if (this.initializing) {
      return;
    }
    this.initializing = true;

    const previousCookies = await readCookieStorage(`AMP_${apiKey.substring(0, 10)}`);
    const browserOptions = await useBrowserConfig(apiKey, userId ?? previousCookies?.userId);
    this.config = { ...browserOptions, deviceId: previousCookies?.deviceId ?? browserOptions.deviceId };
    this.timeline = [];

    for (const plugin of this.plugins) await plugin.setup(this.config);

    this.initializing = false;
  }

  add(plugin: Plugin): void {
    this.plugins.push(plugin);
  }
}
