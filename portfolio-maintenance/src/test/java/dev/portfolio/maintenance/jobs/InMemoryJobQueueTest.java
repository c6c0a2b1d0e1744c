package dev.portfolio.maintenance.jobs;

/** The queue contract on the in-memory queue. */
class InMemoryJobQueueTest extends JobQueueContract {
  @Override
  protected JobQueue emptyQueue() {
    return new InMemoryJobQueue();
  }
}
