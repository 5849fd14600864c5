// bosonprotocol/reference-backend before PR #92 (buggy twin): the voucher supply is loaded, its
// quantity decremented in memory and saved; two commits of the same supply both load qty = n
// and both save n - 1.
const mongoose = require('mongoose')

const { Schema } = mongoose

const voucherSupplySchema = new Schema({
  title: { type: String, trim: true },
  qty: {
    type: Number,
    required: true,
    validate(value) {
      if (value < 0) throw new Error('Qty must be a positive number')
    },
  },
  voucherOwner: { type: String },
  _tokenIdSupply: { type: String },
})

const VoucherSupply = mongoose.model('VoucherSupply', voucherSupplySchema)

class VoucherSuppliesRepository {
  async getVoucherSupplyBySupplyTokenId(supplyTokenId) {
    return VoucherSupply.findOne({ _tokenIdSupply: supplyTokenId })
  }

  async decrementVoucherSupplyQty(supplyId) {
    const voucherSupply = await this.getVoucherSupplyBySupplyTokenId(supplyId)
    if (!voucherSupply) {
      throw new Error('Voucher supply not found')
    }

    voucherSupply.qty = --voucherSupply.qty

    return await voucherSupply.save()
//               ^ lost-update
  }
}

module.exports = VoucherSuppliesRepository
