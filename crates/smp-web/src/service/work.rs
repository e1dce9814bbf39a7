//! The CPU work of requests (dot layouts, previews, fits, plans, reports, photo
//! decoding) runs on a bounded pool: at most one job per core at a time, the rest
//! waiting in a queue of bounded length, in order. A request whose client leaves while
//! its job waits is dropped with it, so the job never starts; a full queue is answered
//! 503 at once instead of piling work up. Without this, 64 editors' layouts ran 64
//! threads on 2 cores and every one of them waited for all.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::StatusCode;
use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The pool's limits.
#[derive(Debug)]
pub struct Workers {
    running: Arc<Semaphore>,
    /// Heavy jobs (a huge photo to decode and store): at most all cores but one of them
    /// at once, on their own low-priority threads, never holding a worker, so a few of
    /// them cannot make editors wait for dots.
    heavy: Arc<Semaphore>,
    /// Where heavy jobs run, their parallel parts included: all cores but one, at the
    /// lowest priority, so a huge photo's checks cannot take every core either.
    heavy_threads: Arc<rayon::ThreadPool>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// Pixels from which a photo's decoding is heavy work: above a 16 MP phone photo.
pub const HEAVY_PHOTO_PIXELS: u64 = 16_000_000;

impl Workers {
    /// A pool running `workers` jobs at once with at most `max_waiting` queued.
    pub fn new(workers: usize, max_waiting: usize) -> Workers {
        let workers = workers.max(1);
        Workers {
            running: Arc::new(Semaphore::new(workers)),
            heavy: Arc::new(Semaphore::new((workers - 1).max(1))),
            heavy_threads: Arc::new(
                rayon::ThreadPoolBuilder::new()
                    .num_threads((workers - 1).max(1))
                    .thread_name(|i| format!("smp-heavy-{i}"))
                    // At the lowest priority (nice 19): the cores go to the editors'
                    // requests first, and a huge upload takes what is left.
                    .start_handler(|_| {
                        let _ = thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min);
                    })
                    .build()
                    .expect("a thread for heavy jobs"),
            ),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// One job per core, and a queue four times the 64 editors a clinic server is sized for.
    pub fn for_this_machine() -> Workers {
        Workers::new(std::thread::available_parallelism().map_or(2, |n| n.get()), 256)
    }

    /// Jobs waiting for a worker now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }
}

/// Counts a job as waiting until it starts or is dropped.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// An internal error (500) carrying `e`'s message.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

/// Runs CPU work on the server's bounded pool.
pub async fn blocking<T: Send + 'static>(state: &AppState, f: impl FnOnce() -> AppResult<T> + Send + 'static) -> AppResult<T> {
    state.workers.run(false, f).await
}

/// Runs heavy CPU work (see [`HEAVY_PHOTO_PIXELS`]) in the heavy lane: low priority, no worker taken.
pub async fn blocking_heavy<T: Send + 'static>(state: &AppState, f: impl FnOnce() -> AppResult<T> + Send + 'static) -> AppResult<T> {
    state.workers.run(true, f).await
}

impl Workers {
    /// Runs `f` when a worker is free (a `heavy` job: when a heavy slot is); 503 when
    /// the queue is full.
    pub async fn run<T: Send + 'static>(&self, heavy: bool, f: impl FnOnce() -> AppResult<T> + Send + 'static) -> AppResult<T> {
        if self.waiting.fetch_add(1, Ordering::Relaxed) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::Relaxed);
            return Err(AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is busy with other previews and dot layouts; try again in a few seconds",
            ));
        }
        let queued = Waiting(&self.waiting);
        // A heavy job takes a heavy slot instead of a worker: it runs at the lowest
        // priority on its own threads, so the workers stay with the editors' requests.
        let permit = if heavy {
            self.heavy.clone().acquire_owned().await.map_err(internal)?
        } else {
            self.running.clone().acquire_owned().await.map_err(internal)?
        };
        drop(queued);
        let threads = heavy.then(|| self.heavy_threads.clone());
        tokio::task::spawn_blocking(move || {
            let _running = permit;
            match threads {
                Some(pool) => pool.install(f),
                None => f(),
            }
        })
        .await
        .map_err(internal)?
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;
    use std::time::Duration;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_job_per_worker_a_bounded_queue_and_no_start_after_the_client_left() {
        let pool = Arc::new(Workers::new(1, 1));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let busy = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(false, move || Ok(hold.recv().is_ok())).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        // The one worker is busy: the next job waits, and the one after is refused.
        let ran = Arc::new(AtomicBool::new(false));
        let waiter = {
            let (pool, ran) = (pool.clone(), ran.clone());
            tokio::spawn(async move {
                pool.run(false, move || {
                    ran.store(true, Ordering::SeqCst);
                    Ok(())
                })
                .await
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(pool.waiting(), 1);
        let refused = pool.run(false, || Ok(())).await.unwrap_err();
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(refused.message.contains("busy"), "{}", refused.message);
        // The waiting client goes away: its job never starts.
        waiter.abort();
        assert!(waiter.await.unwrap_err().is_cancelled());
        assert_eq!(pool.waiting(), 0);
        release.send(()).unwrap();
        assert!(busy.await.unwrap().unwrap());
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!ran.load(Ordering::SeqCst), "a job whose client left must not run");
        // A free pool runs the next job at once.
        assert_eq!(pool.run(false, || Ok(7)).await.unwrap(), 7);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn heavy_jobs_leave_a_worker_free_for_the_rest() {
        let pool = Arc::new(Workers::new(2, 16));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = Arc::new(std::sync::Mutex::new(hold));
        // Two heavy jobs: one runs, the other waits for the heavy slot, holding no worker.
        let heavies: Vec<_> = (0..2)
            .map(|_| {
                let (pool, hold) = (pool.clone(), hold.clone());
                tokio::spawn(async move { pool.run(true, move || Ok(hold.lock().unwrap().recv().is_ok())).await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(pool.waiting(), 1, "the second heavy job waits");
        // A light job still gets the other worker at once.
        let light = tokio::time::timeout(Duration::from_secs(2), pool.run(false, || Ok(7))).await;
        assert_eq!(light.expect("a worker was free").unwrap(), 7);
        for _ in 0..2 {
            release.send(()).unwrap();
        }
        for h in heavies {
            assert!(h.await.unwrap().unwrap());
        }
    }
}
