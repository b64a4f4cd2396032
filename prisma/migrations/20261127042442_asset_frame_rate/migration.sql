-- AlterTable
ALTER TABLE "Asset" ADD COLUMN     "frameRate" DOUBLE PRECISION;
