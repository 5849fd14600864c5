// vueuse/vueuse PR #5574 (after #5525): every execute() takes a number from a counter shared by the
// composable's calls; after each await of the success path it compares that number with the counter
// again and leaves the state alone when a newer execute() has started.
import { ref, shallowRef, type Ref } from 'vue';

export interface UseFetchOptions {
  refetch?: boolean;
  afterFetch?: (ctx: { data: unknown; response: Response }) => Promise<{ data: unknown }> | { data: unknown };
}

export function useFetch(url: Ref<string>, options: UseFetchOptions = {}) {
  const isFetching = ref(false);
  const isFinished = ref(false);
  const statusCode = ref<number | null>(null);
  const response = shallowRef<Response | null>(null);
  const error = shallowRef<unknown>(null);
  const data = shallowRef<unknown>(null);

  let controller: AbortController | undefined;
  let executeCounter = 0;

  const loading = (isLoading: boolean) => {
    isFetching.value = isLoading;
    isFinished.value = !isLoading;
  };

  const abort = () => controller?.abort();

  const execute = async (): Promise<Response | null> => {
    abort();
    controller = new AbortController();
    loading(true);
    error.value = null;

    executeCounter += 1;
    const currentExecuteCounter = executeCounter;

    try {
      const fetchResponse = await fetch(url.value, { signal: controller.signal });
      if (currentExecuteCounter !== executeCounter) return null;
      response.value = fetchResponse;
      statusCode.value = fetchResponse.status;

      let responseData: unknown = await fetchResponse.clone().json();
      if (currentExecuteCounter !== executeCounter) return null;

      if (options.afterFetch) {
        ({ data: responseData } = await options.afterFetch({ data: responseData, response: fetchResponse }));
        if (currentExecuteCounter !== executeCounter) return null;
      }
      data.value = responseData;
      return fetchResponse;
    } catch (fetchError) {
      if (currentExecuteCounter === executeCounter) error.value = fetchError;
      return null;
    } finally {
      if (currentExecuteCounter === executeCounter) loading(false);
    }
  };

  return { isFetching, isFinished, statusCode, response, error, data, abort, execute };
}
