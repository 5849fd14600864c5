// mongoist/mongoist PR #106 (buggy twin): every collection call goes through db.connect(), which
// returns the connection only once one has been stored; calls made before the first connect
// resolves each open their own MongoClient.
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
  }

  collection(name) {
    return new Collection(this, name);
  }

  connect() {
    if (this.connection) {
      return Promise.resolve(this.connection);
    }

    return mongodb.MongoClient
      .connect(this.connectionString, Object.assign(this.options))
      .then((client) => {
        this.client = client;
        this.connection = client.db(this.options.dbName);
//      ^ check-then-act

        this.features = {
          useLegacyProjections: false,
        };

        this.emit('connect');

        return this.connection;
      })
      .catch((e) => {
        this.emit('error', e);

        throw e;
      });
  }
}
