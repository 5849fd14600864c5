// cozy-labs/cozy-desktop PR #1929 "gui/lastFiles: Securely persist last files list to disk"
// (reduction, fixed): persist() pushes each write of the JSON file into an async queue with one
// worker, so fs.writeFile never runs twice at once on the same file; callers do not wait.
const fs = require('fs')
const path = require('path')
const async = require('async')

const lastFilesPath = path.join(process.env.HOME || '.', '.cozy-desktop', 'last-files')
let lastFiles = []

const writeJSON = (data, callback) => {
  fs.writeFile(lastFilesPath, data, callback)
}
const persistQueue = async.queue(writeJSON, 1)

const persist = () => {
  const data = JSON.stringify(lastFiles)
  persistQueue.push(data, (err) => {
    if (err) console.error('failed to persist last files', err)
  })
}

const add = (file) => {
  lastFiles = lastFiles.filter((f) => f.path !== file.path)
  lastFiles.push(file)
  lastFiles = lastFiles.slice(-250)
  persist()
}

const remove = (file) => {
  lastFiles = lastFiles.filter((f) => f.path !== file.path)
  persist()
}

const init = (callback) => {
  fs.readFile(lastFilesPath, 'utf8', (err, data) => {
    if (!err && data) {
      try {
        lastFiles = JSON.parse(data)
      } catch (e) {
        lastFiles = []
      }
    }
    callback(lastFiles)
  })
}

module.exports = { init, add, remove, persist }
