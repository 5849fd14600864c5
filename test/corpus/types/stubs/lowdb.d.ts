// Stub of lowdb v3+: an in-memory `data` object loaded from and saved to a JSON file.
export interface Adapter<T> {
  read(): Promise<T | null>;
  write(data: T): Promise<void>;
}

export class JSONFile<T> implements Adapter<T> {
  constructor(filename: string);
  read(): Promise<T | null>;
  write(data: T): Promise<void>;
}

export class Low<T> {
  constructor(adapter: Adapter<T>, defaultData: T);
  data: T;
  read(): Promise<void>;
  write(): Promise<void>;
}
