-- AlterTable
ALTER TABLE "NodeExecution" ADD COLUMN     "checkpoint" JSONB;
