export interface Reaction {
  user: string;
  emoji: string;
}
export interface UpdateDoc {
  _id: string;
  reactions: Reaction[];
  save(): Promise<UpdateDoc>;
}
export declare const Update: {
  findById(id: string): Promise<UpdateDoc | null>;
  findOneAndUpdate(filter: object, update: object, options?: object): Promise<UpdateDoc | null>;
  exists(filter: object): Promise<{ _id: string } | null>;
};
