-- data-loss: drops tables Order, OrderStatusChange, Parcel
-- Undoes 20261121165913_init.
-- DropForeignKey
ALTER TABLE "OrderStatusChange" DROP CONSTRAINT "OrderStatusChange_orderId_fkey";

-- DropForeignKey
ALTER TABLE "Parcel" DROP CONSTRAINT "Parcel_orderId_fkey";

-- DropTable
DROP TABLE "Order";

-- DropTable
DROP TABLE "OrderStatusChange";

-- DropTable
DROP TABLE "Parcel";

-- DropEnum
DROP TYPE "OrderStatus";
