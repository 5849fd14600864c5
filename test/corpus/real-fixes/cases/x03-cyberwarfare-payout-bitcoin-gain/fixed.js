// Ojself/cyberwarfare4k PR #18 (fixed): the payout job sums each owner's revenue and adds it with
// one `$inc` per user; it no longer loads the user and writes back the bitcoins it read.
const mongoose = require('mongoose')

const { Schema } = mongoose

const userSchema = new Schema({
  name: String,
  playerStats: {
    bitCoins: { type: Number, default: 0 },
    ledger: { type: Number, default: 0 },
  },
})

userSchema.methods.bitCoinDrain = function (bitCoins) {
  this.playerStats.bitCoins -= parseInt(bitCoins, 10)
  if (this.playerStats.bitCoins < 0) {
    this.playerStats.bitCoins = 0
  }
}

userSchema.methods.bitCoinGain = function (bitCoins) {
  this.playerStats.bitCoins += parseInt(bitCoins, 10)
}

userSchema.methods.ledgerGain = function (bitCoins) {
  this.playerStats.ledger += parseInt(bitCoins, 10)
}

const User = mongoose.model('User', userSchema)
const DataCenter = mongoose.model('DataCenter', new Schema({ owner: Schema.Types.ObjectId, minutlyrevenue: Number }))

const dataCenterPayoutInterval = async () => {
  const dataCenters = await DataCenter.find({ owner: { $exists: true, $ne: null } })

  if (Array.isArray(dataCenters)) {
    const amountByUser = dataCenters.reduce(
      (dict, dc) => ({ ...dict, [dc.owner]: (dict[dc.owner] || 0) + dc.minutlyrevenue }),
      {},
    )
    await Promise.all(
      Object.entries(amountByUser).map(([userId, amount]) =>
        User.updateOne({ _id: userId }, { $inc: { 'playerStats.bitCoins': amount } }),
      ),
    )
  }
}

setInterval(() => {
  dataCenterPayoutInterval()
}, 30 * 1000)

module.exports = { dataCenterPayoutInterval, User }
