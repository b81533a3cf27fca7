package embedded

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// jarPath is where the launcher's build leaves its jar, beside target/lib.
const jarPath = "target/psmgraph-neo4j.jar"

// Build runs the launcher's Maven build when its jar is missing or older than
// its sources, and returns the jar's path. Concurrent callers (test binaries
// of several packages, say) take turns through a file lock.
func Build(ctx context.Context, launcher string, log *slog.Logger) (string, error) {
	pom := filepath.Join(launcher, "pom.xml")
	if _, err := os.Stat(pom); err != nil {
		return "", fmt.Errorf("%w: %w", errNoLauncher, err)
	}
	jar := filepath.Join(launcher, jarPath)
	if err := os.MkdirAll(filepath.Join(launcher, "target"), 0o750); err != nil {
		return "", fmt.Errorf("embedded neo4j: %w", err)
	}
	unlock, err := lock(filepath.Join(launcher, "target", ".build.lock"))
	if err != nil {
		return "", fmt.Errorf("embedded neo4j: lock the build: %w", err)
	}
	defer unlock()

	stale, err := isStale(launcher, jar)
	if err != nil || !stale {
		return jar, err
	}
	log.Info("building the embedded neo4j launcher with maven (the first build downloads Neo4j)", "dir", launcher)
	started := time.Now()
	cmd := exec.CommandContext(ctx, "mvn", "-B", "-q", "package")
	cmd.Dir = launcher
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("embedded neo4j: mvn package in %s: %w\n%s", launcher, err, out.String())
	}
	log.Info("built the embedded neo4j launcher", "took", time.Since(started).Round(time.Second))
	return jar, nil
}

// isStale reports whether the jar is missing or older than the pom or a source.
func isStale(launcher, jar string) (bool, error) {
	built, err := os.Stat(jar)
	if err != nil {
		return true, nil
	}
	if _, err := os.Stat(filepath.Join(launcher, "target", "lib")); err != nil {
		return true, nil
	}
	stale := false
	err = filepath.WalkDir(launcher, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "target" {
			return filepath.SkipDir
		}
		if d.IsDir() || (d.Name() != "pom.xml" && filepath.Ext(path) != ".java") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.ModTime().After(built.ModTime()) {
			stale = true
			return filepath.SkipAll
		}
		return nil
	})
	return stale, err
}

// lock takes an exclusive advisory lock on the file, creating it if needed.
func lock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600) //nolint:gosec // a lock file under the launcher's target/
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		_ = f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}
