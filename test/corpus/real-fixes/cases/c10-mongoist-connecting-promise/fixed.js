// mongoist/mongoist PR #106: connect() keeps the connection attempt in progress in _connecting and
// hands it to every caller that comes before the connection is stored.
import { EventEmitter } from 'events';
import mongodb from 'mongodb';

class Collection {
  constructor(db, name) {
    this.db = db;
    this.name = name;
  }

  connect() {
    return this.db.connect().then((connection) => connection.collection(this.name));
  }

  find(query, projection, opts) {
    return this.connect().then((collection) => collection.find(query, Object.assign({ projection }, opts)).toArray());
  }

  insert(docOrDocs) {
    return this.connect().then((collection) => collection.insertMany(Array.isArray(docOrDocs) ? docOrDocs : [docOrDocs]));
  }
}

export default class Database extends EventEmitter {
  constructor(connectionString, options) {
    super();
    this.connectionString = connectionString;
    this.options = options || {};

    // Define the property to not confuse the proxy
    this.connection = null;
    this.features = null;
    this.client = null;

    // Defining a var that is used to stop race condtions when calling connect multiple times
    this._connecting = null;
  }

  collection(name) {
    return new Collection(this, name);
  }

  connect() {
    if (this.connection) {
      return Promise.resolve(this.connection);
    }

    if (this._connecting) {
      // Race condition, return the promise
      return this._connecting;
    }

    this._connecting = (async () => {
      try {
        const client = await mongodb.MongoClient.connect(this.connectionString, Object.assign(this.options));
        this.client = client;
        this.connection = client.db(this.options.dbName);

        this.features = {
          useLegacyProjections: false,
        };

        this.emit('connect');
        return this.connection;
      } catch (e) {
        this.emit('error', e);
        throw e;
      }
    })();

    return this._connecting;
  }
}
