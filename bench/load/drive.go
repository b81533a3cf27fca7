package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// result is what a run of the workload saw.
type result struct {
	sent     int
	elapsed  time.Duration
	latency  []time.Duration // of the requests answered without error
	errors   map[string]int  // by what went wrong
	byOp     map[string]int
	overflow int // requests not sent: too many were outstanding
}

func (r *result) failed() int {
	n := r.overflow
	for _, c := range r.errors {
		n += c
	}
	return n
}

// drive sends the operations in turn at a fixed rate for the duration. The
// schedule does not wait for answers (an open loop), and each latency runs
// from the request's scheduled time, so that a stall shows in the figures
// instead of slowing the load. every, if set, is called every 10 seconds.
func drive(ctx context.Context, url string, ops []operation, rate float64, d time.Duration, maxInFlight int, every func(time.Duration)) (*result, error) {
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: maxInFlight, MaxConnsPerHost: maxInFlight},
	}
	defer client.CloseIdleConnections()
	res := &result{errors: map[string]int{}, byOp: map[string]int{}}
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		inFlight = make(chan struct{}, maxInFlight)
	)
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	nextReport := 10 * time.Second
	for i := 0; ; i++ {
		due := start.Add(time.Duration(i) * interval)
		if due.Sub(start) >= d {
			break
		}
		if wait := time.Until(due); wait > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(wait):
			}
		}
		if every != nil && due.Sub(start) >= nextReport {
			every(due.Sub(start))
			nextReport += 10 * time.Second
		}
		op := ops[i%len(ops)]
		res.sent++
		select {
		case inFlight <- struct{}{}:
		default:
			res.overflow++
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-inFlight }()
			problem := call(ctx, client, url, op.body)
			took := time.Since(due)
			mu.Lock()
			defer mu.Unlock()
			res.byOp[op.name]++
			if problem != "" {
				res.errors[op.name+": "+problem]++
				return
			}
			res.latency = append(res.latency, took)
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	slices.Sort(res.latency)
	return res, nil
}

// call sends one request and says what went wrong, "" if nothing did.
func call(ctx context.Context, client *http.Client, url string, body []byte) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return "transport error"
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return "body cut short"
	}
	var answer struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []struct {
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	switch {
	case resp.StatusCode != http.StatusOK:
		return fmt.Sprintf("status %d", resp.StatusCode)
	case json.Unmarshal(data, &answer) != nil:
		return "not JSON"
	case len(answer.Errors) > 0:
		return answer.Errors[0].Extensions.Code
	case len(answer.Data) == 0:
		return "no data"
	}
	return ""
}

// percentile of sorted durations, p in [0, 1].
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}
