-- AlterTable
ALTER TABLE "NodeExecution" ADD COLUMN     "cachedFromExecutionId" TEXT,
ADD COLUMN     "cachedFromRunId" TEXT;
